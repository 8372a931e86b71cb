"""tfgen init: answers and prompts, render, proof against the model, manifest, output tree."""
