"""The Textual reader: screens, widgets and the app that wires them to the store."""
