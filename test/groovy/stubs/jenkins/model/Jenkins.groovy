package jenkins.model

/** Stand-in for Jenkins core's jenkins.model.Jenkins, so a sandbox test can reach for `Jenkins.instance`. */
class Jenkins {
    static Jenkins getInstance() {
        return new Jenkins()
    }
}
