package io.whalekeeper.test

import org.junit.Test

/** The example pipelines, run in the harness with declarative stand-ins: which CLI calls each stage makes. */
class JenkinsfileTest extends StepTestCase {

    @Test
    void 'Jenkinsfile example runs the seed pipeline stage by stage and cleans up in post'() {
        // given / when
        h.runJenkinsfile('Jenkinsfile.example')
        // then each stage made its CLI calls, in order, all through the constant script
        Map<String, List<List<String>>> byStage = [:]
        h.calls.findAll { it.step == 'sh' && it.args.script != PipelineHarness.RESOLVER }.each { Map call ->
            byStage.get(call.stage, []) << (List<String>) new groovy.json.JsonSlurper().parseText(call.args.env.WK_ARGV)
        }
        assert byStage == [
            'Disk check'    : [['clean', '--agent', '--target', '70%', '--grace', '1h'], ['disk', '--warn', '80%', '--fail', '90%']],
            'Build'         : [['build', '--tag', 'registry.example.com/app:42', '--file', 'Dockerfile', '.']],
            'Test'          : [['run', '-e', 'BUILD_NUMBER', 'registry.example.com/app:42', 'sh', '-c',
                                'test "$Meta__BuildNumber" = "$BUILD_NUMBER"']],
            'Verify staging': [['verify', 'https://staging.example.com', '--timeout', '10m', '--junit', 'verify-staging.xml']],
            'Verify prod'   : [['verify', 'https://app.example.com', '--timeout', '10m', '--junit', 'verify-prod.xml']],
            'post'          : [['clean']],
        ]
        assert h.shCalls()*.script.unique() == [CLI]
        assert h.callsOf('junit')*.args*.testResults == ['verify-staging.xml', 'verify-prod.xml']
    }

    @Test
    void 'when a stage fails, the later stages are skipped and post still cleans'() {
        // given a verification that fails (exit 1)
        h.shResult = { Map call -> new groovy.json.JsonSlurper().parseText(call.env.WK_ARGV)[0] == 'verify' ? 1 : 0 }
        // when
        try {
            h.runJenkinsfile('Jenkinsfile.example')
            assert false
        } catch (StepError e) {
            assert e.message.startsWith('verifyDeployment: not verified')
        }
        // then prod was never deployed nor verified, and post cleaned
        assert h.callsOf('stage')*.args[-1] == 'Verify staging'
        assert h.cliArgvs()[-1] == ['clean']
    }

    @Test
    void 'the maintenance pipeline runs nightly and cleans every agent on that agent'() {
        // given two agents labelled docker
        h.agents = ['agent-1', 'agent-2']
        // when
        h.runJenkinsfile('Jenkinsfile.maintenance.example')
        // then
        assert h.callsOf('cron')*.args == ['H 3 * * *']
        assert h.callsOf('nodesByLabel')*.args == [[label: 'docker', offline: false]]
        // each branch (interleaved with the other, as CPS runs them) cleans then checks its own agent, on that agent
        ['agent-1', 'agent-2'].each { String agent ->
            List<Map> branch = h.calls.findAll { it.branch == agent }
            assert branch.findAll { it.step == 'node' || (it.step == 'sh' && it.args.script == io.whalekeeper.Steps.CLI_SCRIPT) }.collect {
                it.step == 'node' ? it.args : new groovy.json.JsonSlurper().parseText(it.args.env.WK_ARGV)[0..1]
            } == [agent, ['clean', '--agent'], ['disk', '--warn']]
            // and found the CLI once on that agent, for both steps
            assert branch.count { it.step == 'sh' && it.args.script == PipelineHarness.RESOLVER } == 1
            assert branch.findAll { it.step == 'sh' }.every { it.args.env.NODE_NAME == agent }
        }
    }
}
