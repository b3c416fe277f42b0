import io.whalekeeper.Commands
import io.whalekeeper.Steps

/**
 * Waits until every replica answers this build (`whalekeeper verify`), records the JUnit report, and fails the
 * stage when not verified. Help: verifyDeployment.txt.
 */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'verifyDeployment')
    Map c = wk.configure(config, [
        // key        : [type,             default]                    what it is
        url           : ['string|strings!', null],                     // replica URL(s), e.g. 'https://staging.example.com'
        expect        : ['scalar',          null],                     // the build to expect (default: BUILD_NUMBER)
        timeout       : ['string',          '10m'],                    // give up after this
        interval      : ['string',          null],                     // between rounds (default 2s)
        requestTimeout: ['string',          null],                     // per request (default 5s)
        field         : ['string',          null],                     // JSON path of the build (default buildNumber)
        stable        : ['integer',         null],                     // matching answers in a row per replica (default 2)
        replicas      : ['integer',         null],                     // at least this many replicas (one URL: the pool's size)
        allAddresses  : ['boolean',         false],                    // check every address a host name resolves to
        direct        : ['boolean',         false],                    // one URL is one replica, not a load balancer's pool
        followRedirectsCrossHost: ['boolean', false],                  // credit a redirect to another host's answer
        allowNewer    : ['boolean',         false],                    // a newer build is not a failure
        insecure      : ['boolean',         false],                    // do not verify TLS certificates
        ca            : ['string',          null],                     // CA certificate file for TLS
        headers       : ['map',             [:]],                      // header name -> NAME of the env var holding its value
        junit         : ['string',          'whalekeeper-verify.xml'], // the JUnit report, recorded with the junit step
        returnStatus  : ['boolean',         false],                    // return the exit status instead of failing the stage
    ])
    wk.requireOperands(c, ['url'])
    wk.requireHeaderVariables(c.headers)
    String problem = Commands.verifyProblem(c)
    if (problem) {
        wk.fail(problem)
    }
    int status = wk.cli(Commands.verify(c))
    if (Commands.verifyWroteReport(status)) {
        wk.onNode {
            junit(testResults: c.junit, allowEmptyResults: true)
        }
    } else {
        // The CLI stopped before writing the report: a file at that path is an earlier build's, never this one's.
        echo("verifyDeployment: no JUnit report recorded: `whalekeeper verify` exited with ${status} before writing " +
            "${c.junit} (a file there would be from an earlier build)")
    }
    if (status != 0 && !c.returnStatus) {
        wk.fail("not verified: `whalekeeper verify` exited with ${status} " +
            '(1 = a replica answered another build, 3 = a replica never answered readably, 2 = usage: see its output)')
    }
    return status
}
