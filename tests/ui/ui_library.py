"""Constants shared by the UI tests and their fixtures."""

HOSTILE = "Drake [/] feud [b]bold?[/b] [@click=app.quit]click[/] \x1b]0;pwned\x07\x1b[31m end"
