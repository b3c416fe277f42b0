package io.whalekeeper.test

import org.junit.Test

class VerifyDeploymentTest extends StepTestCase {

    @Test
    void 'verifies, then records the JUnit report'() {
        // given / when
        assert h.step('verifyDeployment', [url: 'https://staging.example.com']) == 0
        // then
        assertCliCall(0, ['verify', 'https://staging.example.com', '--timeout', '10m', '--junit', 'whalekeeper-verify.xml'])
        assert h.calls*.step == ['withEnv', 'sh', 'junit']
        assert h.callsOf('junit')[0].args == [testResults: 'whalekeeper-verify.xml', allowEmptyResults: true]
    }

    @Test
    void 'hands every option on, headers go by variable name only'() {
        h.step('verifyDeployment', [url: ['http://a:8080', 'http://b:8080'], expect: 209, timeout: '5m', interval: '1s',
                                    requestTimeout: '3s', field: 'meta.buildNumber', stable: 3, replicas: 2,
                                    allAddresses: true, allowNewer: true, insecure: true, ca: 'ca.pem',
                                    headers: ['Authorization': 'DIAG_TOKEN'], junit: 'verify-prod.xml'])
        assertCliCall(0, ['verify', 'http://a:8080', 'http://b:8080', '--timeout', '5m', '--junit', 'verify-prod.xml',
                          '--expect', '209', '--field', 'meta.buildNumber', '--interval', '1s', '--request-timeout', '3s',
                          '--ca', 'ca.pem', '--stable', '3', '--replicas', '2', '--all-addresses', '--allow-newer',
                          '--insecure', '--header-env', 'Authorization=DIAG_TOKEN'])
    }

    @Test
    void 'fails the stage when not verified, after recording the report'() {
        // given a replica on another build
        h.shResult = { Map call -> 1 }
        // when / then
        assert errorOf { h.step('verifyDeployment', [url: 'http://a']) } == 'verifyDeployment: not verified: ' +
            '`whalekeeper verify` exited with 1 (1 = a replica answered another build, 3 = a replica never answered ' +
            'readably, 2 = usage)'
        assert h.calls*.step == ['withEnv', 'sh', 'junit', 'error']
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
