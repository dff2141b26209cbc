# The verbs a newcomer looks for.
.PHONY: run test test-sqlite test-postgres contract bench bench-migrations bench-instructions

run:
	swift run passerelle serve

test:
	scripts/test.sh

test-sqlite:
	swift test

test-postgres:
	bash -c 'source scripts/postgres.sh && trap pg_stop EXIT && pg_start && PASSERELLE_TEST_POSTGRES_URL="$$PG_URL" PASSERELLE_REQUIRE_POSTGRES=1 swift test'

contract:
	scripts/contract-test.sh

bench:
	swift run -c release eligibility-bench 5

bench-migrations:
	scripts/bench-migrations.sh

bench-instructions:
	scripts/bench-instructions.sh
