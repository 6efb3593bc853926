# Two commands for a newcomer: `make demo` and `make test`. Each sets itself up.
VENV ?= .venv
BIN = $(VENV)/bin
OUT ?= out

.PHONY: setup demo test fuzz bench bench-full golden clean

setup:
	@./scripts/bootstrap.sh

# The main job on the bundled samples: every annotated output per persona, plus the
# portfolio page over both; the samples' simulated event logs (scripts/sample_logs.py)
# measured and laid over the diagrams. Outputs land in $(OUT)/ (open $(OUT)/index.html).
demo: setup
	$(BIN)/bpmncx inspect samples/*/*.bpmn
	$(BIN)/bpmncx validate samples/insurance-claim/insurance-claim.bpmn samples/insurance-claim/insurance-claim-cx.xlsx
	$(BIN)/bpmncx validate samples/online-order/online-order.bpmn samples/online-order/online-order-cx.xlsx
	$(BIN)/bpmncx measure samples/insurance-claim/insurance-claim.bpmn samples/insurance-claim/insurance-claim-cx.xlsx \
	    --log samples/insurance-claim/insurance-claim.log.xes
	$(BIN)/bpmncx measure samples/online-order/online-order.bpmn samples/online-order/online-order-cx.xlsx \
	    --log samples/online-order/online-order.log.csv
	$(BIN)/bpmncx annotate samples/insurance-claim/insurance-claim.bpmn samples/insurance-claim/insurance-claim-cx.xlsx \
	    -o $(OUT)/insurance-claim --format svg,png,pdf,bpmn,html,xlsx --persona all \
	    --log samples/insurance-claim/insurance-claim.log.csv
	$(BIN)/bpmncx annotate samples/online-order/online-order.bpmn samples/online-order/online-order-cx.xlsx \
	    -o $(OUT)/online-order --format svg,png,pdf,bpmn,html,xlsx --persona all \
	    --log samples/online-order/online-order.log.csv --heat duration
	$(BIN)/bpmncx batch samples -o $(OUT)/portfolio -q --log auto
	@echo "bpmncx demo: outputs in $(OUT)/ (annotated diagrams per persona, reports; portfolio: $(OUT)/portfolio/index.html)"

test: setup
	$(BIN)/python -m pytest -q

# Accept intended output changes: rewrite tests/golden/ (then review `git diff tests/golden`).
golden: setup
	$(BIN)/python scripts/golden.py --update

# Mutated BPMN files, xlsx workbooks and event logs through bpmncx (tests/fuzz/fuzz_run.py):
# FUZZ_CASES BPMN, FUZZ_XLSX_CASES xlsx and FUZZ_LOG_CASES log cases (CSV and XES logs,
# surveys) from FUZZ_SEED on FUZZ_JOBS workers; fails on any internal error, hang,
# malformed output or a case needing 1 GB. `make test` runs a fixed slice.
FUZZ_SEED ?= 1
FUZZ_CASES ?= 3000
FUZZ_XLSX_CASES ?= 600
FUZZ_LOG_CASES ?= 300
FUZZ_JOBS ?= 2
fuzz: setup
	FUZZ_SEED=$(FUZZ_SEED) FUZZ_CASES=$(FUZZ_CASES) FUZZ_XLSX_CASES=$(FUZZ_XLSX_CASES) \
	    FUZZ_LOG_CASES=$(FUZZ_LOG_CASES) FUZZ_JOBS=$(FUZZ_JOBS) $(BIN)/python tests/fuzz/fuzz_run.py

bench: setup
	$(BIN)/python bench/run.py

# bench with bench/scale.py at 1,000, 10,000 and 50,000 tasks (long: the 50,000-task runs)
bench-full: setup
	$(BIN)/python bench/run.py --full

clean:
	rm -rf $(OUT) build *.egg-info
