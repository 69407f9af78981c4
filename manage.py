#!/usr/bin/env python3
import sys

from partyedu.cli import manage

if __name__ == "__main__":
    manage(sys.argv)
