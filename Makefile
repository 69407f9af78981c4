# Aliases of the README's two commands, for machines that have make.
.PHONY: run test
run:
	python3 dev.py run
test:
	python3 dev.py test
