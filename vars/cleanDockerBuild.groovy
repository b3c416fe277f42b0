import io.whalekeeper.Commands
import io.whalekeeper.Steps

/** Removes this build's containers, volumes and networks (`whalekeeper clean`), e.g. in post. Help: cleanDockerBuild.txt. */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'cleanDockerBuild')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        failOnError: ['boolean', false],   // fail the step when the clean fails (default: report it and go on)
    ])
    return wk.cliTolerant(Commands.cleanBuild(), c.failOnError)
}
