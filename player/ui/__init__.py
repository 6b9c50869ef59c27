"""The Qt layer: widgets that compose the core and the playback."""
