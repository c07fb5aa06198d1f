"""REFI-QDA exchange: projects (``.qdpx`` = ``project.qde`` + ``sources/``) and the code tree
that projects and codebooks (``.qdc``) share.

``archive`` opens and writes the zip packages safely, ``project`` reads and writes the
project XML, ``codes`` the code tree, ``model`` holds the plain records in between.
"""
