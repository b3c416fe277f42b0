package io.whalekeeper.sandbox

/**
 * The signature lists a sandboxed library is judged by: Script Security's generic-whitelist and jenkins-whitelist
 * (allowed), its blacklist (never approvable), read whole from ../shared/jenkins-sandbox/ next to the checkout; in a
 * clone without it, the project's own record (test/groovy/fixtures/script-security/library-signatures.txt) stands
 * in for the whitelists. Pipeline's own additions (CpsWhitelist) are rules on the receiver, in Checker.
 */
class Lists {

    /** The repository root (the library as Jenkins checks it out). */
    static final File ROOT = new File(System.getProperty('wk.root', '.')).canonicalFile

    /** Where Script Security's lists are (SOURCE.md there says from which commit); -Dwk.sandbox.lists overrides it. */
    static final File SHARED = new File(System.getProperty('wk.sandbox.lists', new File(ROOT, '../shared/jenkins-sandbox').path)).canonicalFile

    /** The project's record: the signatures the library relies on, each with the list that allows it. */
    static final File RECORD = new File(ROOT, 'test/groovy/fixtures/script-security/library-signatures.txt')

    /** The files of SHARED that allow a signature. */
    static final List<String> WHITELISTS = ['generic-whitelist', 'jenkins-whitelist']

    /** What Pipeline's CpsWhitelist adds that a signature names (it allows these on `env`, an EnvActionImpl, only). */
    static final Set<String> PIPELINE = ['method groovy.lang.GroovyObject getProperty java.lang.String',
                                         'method groovy.lang.GroovyObject setProperty java.lang.String java.lang.Object'] as Set

    private static final Map LOADED = load(SHARED)

    /** Whether the whole lists were found (else the record stands in). */
    static final boolean WHOLE = LOADED.whole

    /** Allowed signatures -> the list allowing each. */
    static final Map<String, String> ALLOWED = LOADED.allowed

    /** Signatures on Script Security's blacklist (empty when only the record is at hand). */
    static final Set<String> BLACKLIST = LOADED.blacklist

    /** Which lists judge the library, in words (test names carry it). */
    static final String JUDGE = LOADED.judge

    /** The lists in `shared` when it holds all three, else the record's: [whole:, allowed:, blacklist:, judge:]. */
    static Map load(File shared) {
        boolean whole = (WHITELISTS + ['blacklist']).every { new File(shared, it).file }
        if (!whole) {
            return [whole: false, allowed: record().findAll { String sig, String source -> source in WHITELISTS },
                    blacklist: [] as Set, judge: "the project's record library-signatures.txt (no ${shared.name})"]
        }
        return [whole: true, allowed: WHITELISTS.collectEntries { String name ->
            read(new File(shared, name)).collectEntries { [(it): name] }
        }, blacklist: read(new File(shared, 'blacklist')) as Set,
            judge: "Script Security's lists in ../${shared.parentFile.name}/${shared.name}"]
    }

    /** Whether a signature names a member that exists in this JVM, static or not as it says. */
    static boolean exists(String signature) {
        List<String> words = signature.tokenize(' ')
        try {
            Class<?> type = typeNamed(words[1])
            switch (words[0]) {
                case 'new':
                    return type.getDeclaredConstructor(words.drop(2).collect { String n -> typeNamed(n) } as Class[]) != null
                case 'method':
                case 'staticMethod':
                    java.lang.reflect.Method m = type.getDeclaredMethod(words[2], words.drop(3).collect { String n -> typeNamed(n) } as Class[])
                    return java.lang.reflect.Modifier.isStatic(m.modifiers) == (words[0] == 'staticMethod')
                default:
                    java.lang.reflect.Field f = type.getDeclaredField(words[2])
                    return java.lang.reflect.Modifier.isStatic(f.modifiers) == (words[0] == 'staticField')
            }
        } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException ignored) {
            return false
        }
    }

    private static Class<?> typeNamed(String name) {
        if (name.endsWith('[]')) {
            return java.lang.reflect.Array.newInstance(typeNamed(name[0..-3]), 0).getClass()
        }
        Map<String, Class<?>> primitives = [int: int, long: long, boolean: boolean, char: char, byte: byte, short: short,
                                            float: float, double: double, void: void]
        return primitives[name] ?: Class.forName(name, false, Lists.classLoader)
    }

    /** The signatures of a list file, one a line, comments (`#`) and blank lines dropped. */
    static List<String> read(File file) {
        return file.readLines('UTF-8').collect { String line -> strip(line) }.findAll { it }
    }

    /** A list line without its comment and surrounding space. */
    static String strip(String line) {
        int hash = line.indexOf('#')
        return (hash < 0 ? line : line.substring(0, hash)).trim()
    }

    /** The record's lines as signature -> source (the source is its comment: a list name, or "Pipeline: …"). */
    static Map<String, String> record() {
        if (!RECORD.file) {
            return [:]
        }
        return RECORD.readLines('UTF-8').findAll { strip(it) }.collectEntries { String line ->
            int hash = line.indexOf('#')
            [(strip(line)): hash < 0 ? '' : line.substring(hash + 1).trim()]
        }
    }
}
