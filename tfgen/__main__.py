from tfgen.cli import main

# Guarded: `tfgen validate` parses in spawned worker processes, which import the main module.
if __name__ == "__main__":
    main()
