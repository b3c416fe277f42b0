package org.jenkinsci.plugins.workflow.steps

/** Stand-in for what Jenkins throws when `sh` runs outside `node` (same name and message). */
class MissingContextVariableException extends Exception {
    MissingContextVariableException() {
        super('Required context class hudson.FilePath is missing\nPerhaps you forgot to surround the code with a step ' +
            'that provides this, such as: node')
    }
}
