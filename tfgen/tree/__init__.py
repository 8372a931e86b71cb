"""The output tree tfgen writes (init's baseline, migrate's modules): which paths it may touch
(`paths`), its manifest of generated files (`manifest`), and the transaction that puts a render on
disk with a journal a killed run is recovered from (`writer`)."""
