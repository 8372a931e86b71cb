"""tfgen update: render again and merge the new render into a tree the team has edited."""
