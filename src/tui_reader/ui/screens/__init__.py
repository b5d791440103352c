"""The reader's screens: main lists, reader, search, help and dialogs."""
