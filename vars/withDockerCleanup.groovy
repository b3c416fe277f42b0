import io.whalekeeper.Commands
import io.whalekeeper.Steps

/**
 * Runs the body, then removes this build's containers whatever happened (success, failure, abort); sweeps this
 * build's leftovers before it starts; with agent: true also cleans the agent. Help: withDockerCleanup.txt.
 */
def call(Map config = [:], Closure body) {
    Steps wk = new Steps(this, 'withDockerCleanup')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        agent      : ['boolean', false],   // afterwards also clean the whole agent (`clean --agent`)
        target     : ['string',  '70%'],   // with agent: clean unused images until the disk is below this
        grace      : ['string',  '1h'],    // with agent: leave stopped containers younger than this
        failOnError: ['boolean', false],   // fail the step when a clean-up fails (never hides the body's own error)
    ])
    if (body == null) {
        wk.fail('needs a body: withDockerCleanup { … }')
    }
    cleanUp(wk, c, [Commands.cleanBuild()], true)
    boolean bodyFailed = true
    try {
        Object result = body()
        bodyFailed = false
        return result
    } finally {
        List<List<String>> after = [Commands.cleanBuild()]
        if (c.agent) {
            after << Commands.cleanAgent(c + [images: null, volumes: false, buildCache: false, keepImages: [], dryRun: false])
        }
        cleanUp(wk, c, after, !bodyFailed)
    }
}

/** Runs each clean; a failure fails the step only with failOnError and when `mayFail` (else it is reported). */
private void cleanUp(Steps wk, Map c, List<List<String>> commands, boolean mayFail) {
    for (List<String> argv in commands) {
        int status = wk.cli(argv)
        if (status != 0 && c.failOnError && mayFail) {
            wk.fail("`whalekeeper ${argv.join(' ')}` exited with ${status}")
        } else if (status != 0) {
            echo "withDockerCleanup: `whalekeeper ${argv.join(' ')}` exited with ${status}; the build goes on"
        }
    }
}
