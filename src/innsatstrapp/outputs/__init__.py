"""Renderers: each turns a built model into a file. They never query the store."""
