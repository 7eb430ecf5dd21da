// SluiceTestingTests: being written.
