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
    wk.cliTolerant(Commands.cleanBuild(), c.failOnError)
    boolean bodyFailed = true
    try {
        Object result = body()
        bodyFailed = false
        return result
    } finally {
        // A failed clean-up never replaces the body's own error.
        wk.cliTolerant(Commands.cleanBuild(), c.failOnError && !bodyFailed)
        if (c.agent) {
            wk.cliTolerant(Commands.cleanAgent(c + [keepImages: []]), c.failOnError && !bodyFailed)
        }
    }
}
