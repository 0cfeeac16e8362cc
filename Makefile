# OpenNOS: the two commands a newcomer needs are `make run` and `make test` (README.md).
# Every target installs what is missing first (scripts/deps.sh, idempotent).

BUILD ?= build
DATA ?= var
HOST ?= 127.0.0.1
PORT ?= 8080
JOBS ?= $(shell nproc)

.PHONY: all deps build run test clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/opennos --data $(DATA) init
	$(BUILD)/opennos --data $(DATA) demo
	$(BUILD)/opennos --data $(DATA) list
	$(BUILD)/opennos --data $(DATA) serve --host $(HOST) --port $(PORT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
