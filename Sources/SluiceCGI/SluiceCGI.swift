// SluiceCGI: being written.
