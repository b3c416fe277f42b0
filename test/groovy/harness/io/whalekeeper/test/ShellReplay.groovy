package io.whalekeeper.test

/** Runs a recorded `sh` call the way Jenkins does (`sh -xe` on the script as a file) with the recorded environment. */
class ShellReplay {

    /** What the shell did. */
    static class Result {
        int status
        String output
    }

    /** Runs `call` (as recorded by the harness) in /bin/sh, with `base` plus the withEnv overlay it was recorded with. */
    static Result run(Map call, Map<String, String> base, File dir) {
        File script = File.createTempFile('wk-sh', '.sh', dir)
        script.text = call.script
        ProcessBuilder builder = new ProcessBuilder('/bin/sh', '-xe', script.path).directory(dir).redirectErrorStream(true)
        builder.environment().clear()
        builder.environment().putAll(base)
        builder.environment().putAll((Map<String, String>) call.env)
        Process process = builder.start()
        String output = process.inputStream.getText('UTF-8')
        int status = process.waitFor()
        script.delete()
        return new Result(status: status, output: output)
    }
}
