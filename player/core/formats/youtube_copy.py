"""(to be written)"""

FORMATS = []
