// Runs a pipeline in the Groovy harness in live mode: every `sh` really runs in /bin/sh -xe (or through `docker exec`
// inside the withDockerContainer stand-in) against the engine in DOCKER_HOST, as Jenkins would run it on an agent.
// Writes what happened as JSON: every recorded call, the console log, and the error the pipeline ended with.
// Usage (from the repository root): groovy -cp src:test/groovy/stubs:test/groovy/sandbox:test/groovy/harness \
//   test/groovy/run-live.groovy PIPELINE OUT.json SETUP.json
//   SETUP: {workspace, base: {PATH, HOME, DOCKER_HOST…}, env: {build environment}, credentials: {id: {...}},
//          loseContainers: the withDockerContainer stand-in leaves its containers (a lost agent)}
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.whalekeeper.test.PipelineHarness

Map setup = (Map) new JsonSlurper().parse(new File(args[2]))
PipelineHarness h = new PipelineHarness()
h.env.clear()
h.env.putAll((Map) setup.env)
h.credentials.putAll((Map) (setup.credentials ?: [:]))
h.live(new File((String) setup.workspace), (Map) setup.base)
h.loseContainers = setup.loseContainers == true
String error = null
try {
    h.runPipeline(new File(args[0]).text, 'Jenkinsfile')
} catch (Throwable e) {
    error = e.getClass().simpleName + ': ' + e.message
}
List<Map> calls = h.calls.collect { Map call ->
    Object a = call.args
    if (call.step == 'sh') {
        Map sh = (Map) a
        a = [script: sh.script, returnStatus: sh.returnStatus ?: false, returnStdout: sh.returnStdout ?: false,
             env: sh.env, buildEnv: sh.buildEnv, credentials: sh.credentials, container: sh.container]
    }
    [step: call.step, args: a instanceof Closure ? 'closure' : a, stage: call.stage, branch: call.branch]
}
new File(args[1]).text = JsonOutput.toJson([calls: calls, log: h.log.toString(), error: error])
