// SluiceHTTPTypes: being written.
