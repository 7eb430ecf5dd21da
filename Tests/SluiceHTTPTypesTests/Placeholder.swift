// SluiceHTTPTypesTests: being written.
