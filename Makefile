# Two commands for a newcomer: `make demo` and `make test`. Each sets itself up.
VENV ?= .venv
BIN = $(VENV)/bin
OUT ?= out

.PHONY: setup demo test bench clean

setup:
	@./scripts/bootstrap.sh

demo: setup
	$(BIN)/bpmncx inspect samples/*/*.bpmn

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) build *.egg-info
