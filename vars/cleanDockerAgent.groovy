import io.whalekeeper.Commands
import io.whalekeeper.Steps

/** Cleans the whole agent (`whalekeeper clean --agent`); never fails the build unless failOnError. Help: cleanDockerAgent.txt. */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'cleanDockerAgent')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        target     : ['string',  '70%'],   // then remove unused images, least recently used first, until below this
        grace      : ['string',  '1h'],    // leave stopped containers (and unused images) younger than this
        images     : ['string',  null],    // 'unused' to remove unused images too, or 'dangling' (the default)
        volumes    : ['boolean', false],   // remove anonymous volumes no container uses
        buildCache : ['boolean', false],   // remove the build cache
        keepImages : ['strings', []],      // image globs never removed, e.g. ['base:*']
        dryRun     : ['boolean', false],   // print the plan, remove nothing
        failOnError: ['boolean', false],   // fail the build when the clean fails (default: report it and go on)
    ])
    if (c.images != null && !(c.images in Commands.IMAGES)) {
        wk.fail("images must be ${Commands.IMAGES.join(' or ')}")
    }
    return wk.cliTolerant(Commands.cleanAgent(c), c.failOnError)
}
