package io.whalekeeper.test

/** What the harness's `error` step throws (Jenkins throws hudson.AbortException). */
class StepError extends RuntimeException {
    StepError(String message) {
        super(message)
    }
}
