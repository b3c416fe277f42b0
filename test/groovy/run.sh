#!/usr/bin/env bash
# The Groovy side of the tests: compiles the shared library (src/**/*.groovy) with the harness and the tests under
# Groovy 2.4 (Jenkins' Groovy), runs every JUnit test class in one JVM, then CodeNarc over vars/ and src/.
# Exit 0 only when all of it passed. Output directory: $WK_GROOVY_OUT (default: a fresh temporary directory).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${WK_GROOVY_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/wk-groovy.XXXXXX")}
classes=$out/classes
rm -rf "$classes" && mkdir -p "$classes"
jars=/usr/share/java
cp="$classes:$jars/groovy-all.jar:$jars/junit4.jar:$jars/hamcrest-core.jar"

cd "$root"
# First the stand-ins for Jenkins' classes and the sandbox checker, then the library (compiled with the checker:
# sandbox/config.groovy applies it to src/io/whalekeeper/ only), the harness and the tests.
mapfile -t checker < <(find test/groovy/stubs test/groovy/sandbox/io -name '*.groovy')
mapfile -t sources < <(find src -name '*.groovy'; find test/groovy/harness test/groovy/tests -name '*.groovy')
echo "groovy: compiling $(( ${#checker[@]} + ${#sources[@]} )) files"
groovyc -d "$classes" -cp "$cp" "${checker[@]}"
CLASSPATH="$cp" groovyc -d "$classes" -cp "$cp" --configscript test/groovy/sandbox/config.groovy "${sources[@]}"

mapfile -t tests < <(find test/groovy/tests -name '*Test.groovy' -printf 'io.whalekeeper.test.%f\n' | sed 's/\.groovy$//' | sort)
echo "groovy: running ${#tests[@]} test classes"
status=0
record=$out/library-signatures.txt
java -Dwk.root="$root" -Dwk.sandbox.record="$record" ${WK_SANDBOX_LISTS:+-Dwk.sandbox.lists="$WK_SANDBOX_LISTS"} -cp "$cp" org.junit.runner.JUnitCore "${tests[@]}" || status=1

# The sandbox checker's account of the run: no call of the library was rejected, and the signatures it relied on are
# exactly the project's record (WK_SANDBOX_RECORD=write rewrites the record from this run).
fixture=test/groovy/fixtures/script-security/library-signatures.txt
if [ -s "$record.rejected" ]; then
  echo "groovy: the sandbox rejected calls of the library:" >&2
  sort -u "$record.rejected" >&2
  status=1
fi
if [ "${WK_SANDBOX_RECORD:-}" = write ] && [ -s "$record" ]; then
  { sed -n '/^#/p' "$fixture" 2>/dev/null || true; cat "$record"; } > "$record.new" && mv "$record.new" "$fixture"
  echo "groovy: wrote $(wc -l < "$record") signatures to $fixture"
elif ! diff -u <(grep -v '^#' "$fixture" 2>/dev/null) "$record"; then
  echo "groovy: the signatures the library used differ from $fixture (above; WK_SANDBOX_RECORD=write rewrites it)" >&2
  status=1
else
  echo "groovy: sandbox: $(wc -l < "$record") signatures used, as recorded"
fi

echo "groovy: CodeNarc"
lint=$out/lint
mkdir -p "$lint"
lintcp="$jars/CodeNarc.jar:$jars/GMetrics.jar:$jars/log4j-1.2.jar:$jars/groovy-all.jar"
CLASSPATH="$lintcp" groovyc -d "$lint" test/groovy/codenarc/io/whalekeeper/lint/GStringInShRule.groovy
codenarc() { # BASEDIR INCLUDES RULESET REPORT
  java -cp "$lint:$lintcp" -Dlog4j.configuration=file:/dev/null org.codenarc.CodeNarc -basedir="$1" -includes="$2" \
    -rulesetfiles="file:$root/test/groovy/codenarc/$3" -report="text:$4" >/dev/null 2>&1 || true
}
# The project's rule first proves itself on a fixture: exactly the 4 built scripts are reported.
codenarc test/groovy/codenarc/fixtures '**/*.groovy' gstring-ruleset.groovy "$out/codenarc-fixture.txt"
found=$(grep -c 'GStringInSh' "$out/codenarc-fixture.txt" || true)
if [ "$found" != 4 ]; then
  echo "groovy: the GStringInSh rule reported $found sh calls in the fixture, not 4" >&2
  cat "$out/codenarc-fixture.txt" >&2 || true
  status=1
fi
codenarc . '**/vars/*.groovy,**/src/**/*.groovy' ruleset.groovy "$out/codenarc.txt"
if [ ! -s "$out/codenarc.txt" ]; then
  echo "groovy: CodeNarc wrote no report" >&2
  status=1
elif ! grep -q 'TotalFiles=[1-9][0-9]* FilesWithViolations=0 ' "$out/codenarc.txt"; then
  cat "$out/codenarc.txt"
  status=1
else
  grep -o 'Summary: TotalFiles=[0-9]* FilesWithViolations=[0-9]*' "$out/codenarc.txt" | sed 's/^/groovy: CodeNarc /'
fi
exit $status
