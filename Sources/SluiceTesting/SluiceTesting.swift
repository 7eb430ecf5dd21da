// SluiceTesting: being written.
