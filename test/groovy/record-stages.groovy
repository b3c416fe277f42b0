// Records what the steps of a Jenkinsfile hand to `sh`, stage by stage, as JSON: the script, the withEnv overlay and
// the build environment in force. The end-to-end test replays them in /bin/sh against a real engine.
// Usage (from the repository root): groovy -cp src:test/groovy/stubs:test/groovy/sandbox:test/groovy/harness \
//   test/groovy/record-stages.groovy JENKINSFILE OUT.json ENV.json [OVERRIDES.json]
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.whalekeeper.test.PipelineHarness

PipelineHarness h = new PipelineHarness()
h.env.clear()
h.env.putAll((Map) new JsonSlurper().parse(new File(args[2])))
if (args.length > 3) {
    h.overrides.putAll((Map) new JsonSlurper().parse(new File(args[3])))
}
h.runJenkinsfile(args[0])
// The resolver's sh (finding the CLI once per node) is left out: WHALEKEEPER_BIN is the built CLI here, and
// library-cli.test.ts and live.test.ts run the resolver for real.
List<Map> calls = h.calls.findAll { it.step == 'sh' && it.args.script != PipelineHarness.RESOLVER }.collect { Map call ->
    Map sh = (Map) call.args
    [stage: call.stage, script: sh.script, returnStatus: sh.returnStatus ?: false, returnStdout: sh.returnStdout ?: false,
     env: sh.env, buildEnv: sh.buildEnv]
}
new File(args[1]).text = JsonOutput.prettyPrint(JsonOutput.toJson(calls))
