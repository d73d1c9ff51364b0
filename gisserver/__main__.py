from gisserver.cli import main

main()
