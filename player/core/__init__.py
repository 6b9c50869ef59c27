"""The Qt-free core: transcripts, time, the library and exports."""
