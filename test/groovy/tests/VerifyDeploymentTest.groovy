package io.whalekeeper.test

import org.junit.Test

class VerifyDeploymentTest extends StepTestCase {

    @Test
    void 'verifies, then records the JUnit report'() {
        // given / when
        assert h.step('verifyDeployment', [url: 'https://staging.example.com']) == 0
        // then
        assertCliCall(0, ['verify', 'https://staging.example.com', '--timeout', '10m', '--junit', 'whalekeeper-verify.xml'])
        assert h.stepNames() == ['withEnv', 'sh', 'junit']
        assert h.callsOf('junit')[0].args == [testResults: 'whalekeeper-verify.xml', allowEmptyResults: true]
    }

    @Test
    void 'hands every option on, headers go by variable name only'() {
        h.step('verifyDeployment', [url: ['http://a:8080', 'http://b:8080'], expect: 209, timeout: '5m', interval: '1s',
                                    requestTimeout: '3s', field: 'meta.buildNumber', stable: 3, replicas: 2,
                                    allAddresses: true, allowNewer: true, ca: 'ca.pem',
                                    headers: ['Authorization': 'DIAG_TOKEN'], junit: 'verify-prod.xml'])
        assertCliCall(0, ['verify', 'http://a:8080', 'http://b:8080', '--timeout', '5m', '--junit', 'verify-prod.xml',
                          '--expect', '209', '--field', 'meta.buildNumber', '--interval', '1s', '--request-timeout', '3s',
                          '--ca', 'ca.pem', '--stable', '3', '--replicas', '2', '--all-addresses', '--allow-newer',
                          '--header-env', 'Authorization=DIAG_TOKEN'])
        h.step('verifyDeployment', [url: 'https://a', insecure: true, replicas: 3, allAddresses: true])
        assertCliCall(1, ['verify', 'https://a', '--timeout', '10m', '--junit', 'whalekeeper-verify.xml', '--replicas', '3',
                          '--all-addresses', '--insecure'])
    }

    @Test
    void 'refuses what the CLI would refuse as a usage error, before running anything'() {
        assert errorOf { h.step('verifyDeployment', [url: 'https://a', insecure: true, ca: 'ca.pem']) } ==
            'verifyDeployment: insecure and ca exclude each other (ca verifies TLS with that CA; insecure verifies nothing)'
        assert errorOf { h.step('verifyDeployment', [url: 'https://a', stable: 0]) } == 'verifyDeployment: stable must be 1 or more'
        assert errorOf { h.step('verifyDeployment', [url: 'https://a', replicas: 0, allAddresses: true]) } ==
            'verifyDeployment: replicas must be 1 or more'
        assert errorOf { h.step('verifyDeployment', [url: ['https://a', 'https://b'], replicas: 3]) } ==
            'verifyDeployment: replicas: 3 is more than the 2 url(s) given (allAddresses: true counts each address a host ' +
            'name resolves to as a replica)'
        assert errorOf { h.step('verifyDeployment', [url: 'https://a', direct: true, allAddresses: true]) } ==
            'verifyDeployment: direct and allAddresses exclude each other (allAddresses already checks each address directly)'
        assert h.shCalls().empty
    }

    @Test
    void 'one URL is a pool whose size is replicas, and direct and followRedirectsCrossHost reach the CLI'() {
        h.step('verifyDeployment', [url: 'https://lb', replicas: 20])
        assertCliCall(0, ['verify', 'https://lb', '--timeout', '10m', '--junit', 'whalekeeper-verify.xml', '--replicas', '20'])
        h.step('verifyDeployment', [url: 'https://a', direct: true, followRedirectsCrossHost: true])
        assertCliCall(1, ['verify', 'https://a', '--timeout', '10m', '--junit', 'whalekeeper-verify.xml', '--direct',
                          '--follow-redirects-cross-host'])
    }

    @Test
    void 'records no JUnit report when the CLI wrote none: a file there would be an earlier build\'s'() {
        [2, 70, 126, 127, 137].each { int code ->
            // given a CLI that stops before writing the report (usage error, internal error, cannot run, killed)
            h = new PipelineHarness()
            h.shResult = { Map call -> code }
            // when / then: the stage fails, and the junit step never saw the (stale) file
            assert errorOf { h.step('verifyDeployment', [url: 'http://a', junit: 'verify-staging.xml']) }
                .startsWith("verifyDeployment: not verified: `whalekeeper verify` exited with ${code} ")
            assert h.stepNames() == ['withEnv', 'sh', 'echo', 'error']
            assert h.callsOf('echo')[0].args == "verifyDeployment: no JUnit report recorded: `whalekeeper verify` exited " +
                "with ${code} before writing verify-staging.xml (a file there would be from an earlier build)"
        }
        // and with returnStatus the status comes back, still without recording
        h = new PipelineHarness()
        h.shResult = { Map call -> 2 }
        assert h.step('verifyDeployment', [url: 'http://a', returnStatus: true]) == 2
        assert h.callsOf('junit').empty
    }

    @Test
    void 'records the report for every status the CLI writes it with: 0, 1, 3, and interrupted'() {
        [0, 1, 3, 130, 143].each { int code ->
            h = new PipelineHarness()
            h.shResult = { Map call -> code }
            assert h.step('verifyDeployment', [url: 'http://a', returnStatus: true]) == code
            assert h.stepNames() == ['withEnv', 'sh', 'junit']
        }
    }

    @Test
    void 'fails the stage when not verified, after recording the report'() {
        // given a replica on another build
        h.shResult = { Map call -> 1 }
        // when / then
        assert errorOf { h.step('verifyDeployment', [url: 'http://a']) } == 'verifyDeployment: not verified: ' +
            '`whalekeeper verify` exited with 1 (1 = a replica answered another build, 3 = a replica never answered ' +
            'readably, 2 = usage: see its output)'
        assert h.stepNames() == ['withEnv', 'sh', 'junit', 'error']
        assert h.step('verifyDeployment', [url: 'http://a', returnStatus: true]) == 1
    }

    @Test
    void 'refuses a secret given as a header value, without quoting it'() {
        String message = errorOf { h.step('verifyDeployment', [url: 'http://a', headers: ['Authorization': 'Bearer s3cr3t']]) }
        assert message == 'verifyDeployment: headers: the value for Authorization must be the NAME of an environment ' +
            'variable that holds it (e.g. from withCredentials), never the secret itself'
        assert !message.contains('s3cr3t')
        assert errorOf { h.step('verifyDeployment', [url: 'http://a', headers: ['Bad Name': 'X']]) } ==
            'verifyDeployment: headers: a key is not a valid HTTP header name'
        assert errorOf { h.step('verifyDeployment', [:]) } == 'verifyDeployment: url is required (see verifyDeployment.txt)'
        assert errorOf { h.step('verifyDeployment', [url: 'http://a', stable: '2']) } ==
            'verifyDeployment: stable must be an Integer, not a String'
        assert h.shCalls().empty
    }
}
