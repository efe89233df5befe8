"""What the phone page sees of the running daemon and asks of it, beside the control socket.

`files`: the runtime folder's two files, the screen now and the daemon's status (a tmpfs,
never the SD card). `view`: the daemon's side, which writes them only while a page watches.
`remote`: "start now" and "skip tonight" from the phone, decided on the daemon's loop thread.
`link`: the phone page's side, which asks the daemon to watch and reads the files.
"""
