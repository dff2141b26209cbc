# The verbs a newcomer looks for. `make` alone lists them.
.PHONY: help build run test test-fast test-sqlite test-postgres format migrate routes contract bench bench-migrations bench-instructions bench-pages bench-metrics

help:
	@echo "make run        démarre le serveur sur http://127.0.0.1:8080 (SQLite, sans configuration)"
	@echo "make test       toute la suite : SQLite, PostgreSQL, système, pannes, contrat (~12 min)"
	@echo "make test-fast  les tests Swift sur SQLite seulement (~1 min après une compilation)"
	@echo "make build      compile (debug)"
	@echo "make format     met le code en forme (.swift-format)"
	@echo "make migrate    met le schéma de la base à jour (DATABASE_URL ou SQLITE_PATH)"
	@echo "make routes     liste les routes HTTP"
	@echo "make bench …    mesures : bench, bench-migrations, bench-instructions, bench-pages, bench-metrics (docs/benchmarks.md)"

build:
	swift build

run:
	swift run passerelle serve

test:
	scripts/test.sh

test-fast:
	swift test

test-sqlite: test-fast

test-postgres:
	bash -c 'source scripts/postgres.sh && trap pg_stop EXIT && pg_start && PASSERELLE_TEST_POSTGRES_URL="$$PG_URL" PASSERELLE_REQUIRE_POSTGRES=1 swift test'

format:
	swift format -i -r -p Sources Tests Package.swift

migrate:
	swift run passerelle migrate

routes:
	swift run passerelle routes

contract:
	scripts/contract-test.sh

bench:
	swift run -c release eligibility-bench 5

bench-migrations:
	scripts/bench-migrations.sh

bench-instructions:
	scripts/bench-instructions.sh

bench-metrics:
	swift run -c release migration-bench --metrics-overhead --rounds 5 --count 300 --concurrency 1,8

bench-pages:
	swift build -c release --product passerelle
	SWIFT_BACKTRACE=enable=no python3 scripts/bench-pages.py "$$(swift build -c release --show-bin-path)/passerelle"
