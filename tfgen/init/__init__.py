"""tfgen init: answers and prompts, render, proof against the model; the tree is written by `tfgen.tree`."""
