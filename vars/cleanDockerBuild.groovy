import io.whalekeeper.Commands
import io.whalekeeper.Steps

/**
 * Removes everything of this build (`whalekeeper clean`): its containers, volumes and networks, every scope of it,
 * e.g. in post. Help: cleanDockerBuild.txt.
 */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'cleanDockerBuild')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        failOnError: ['boolean', false],   // fail the step when the clean fails (default: report it and go on)
    ])
    // Inside a withDockerCleanup block too, the whole build: an empty value unsets WHALEKEEPER_SCOPE (withEnv).
    return wk.cliTolerant(Commands.cleanBuild(), c.failOnError, ['WHALEKEEPER_SCOPE='])
}
