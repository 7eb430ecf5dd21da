// SluiceCGITests: being written.
