package io.whalekeeper

import com.cloudbees.groovy.cps.NonCPS

/** Checks a step's parameters against the keys it declares. Pure, so it runs outside CPS and is tested directly. */
class Params implements Serializable {

    private static final long serialVersionUID = 1L

    /** The types a key can declare, with the words an error uses for each. A trailing '!' on a type marks it required. */
    static final Map<String, String> TYPES = [
        'string'        : 'a String',
        'strings'       : 'a List of Strings',
        'string|strings': 'a String or a List of Strings',
        'scalar'        : 'a String or a number',
        'boolean'       : 'a Boolean',
        'integer'       : 'an Integer',
        'map'           : 'a Map of String to String',
    ]

    /**
     * The defaults of `keys` ([name: [type, default]]) overlaid with `config`, as [values: Map, error: String].
     * `error` is the first problem as '<step>: …' (null when none); it names the key and the expected type but never
     * quotes a value, because values may be secrets. GStrings become Strings, so nothing downstream sees a GString.
     */
    @NonCPS
    static Map resolve(String step, Map config, Map<String, List> keys) {
        Map values = [:]
        keys.each { String name, List spec -> values[name] = spec[1] }
        List unknown = (config ?: [:]).keySet().findAll { !keys.containsKey(it) }.collect { String.valueOf(it) }
        if (unknown) {
            return [values: values, error: "${step}: unknown key${unknown.size() > 1 ? 's' : ''} ${unknown.join(', ')}; " +
                "the keys are ${keys.keySet().join(', ')} (see ${step}.txt)".toString()]
        }
        for (Map.Entry entry in (config ?: [:]).entrySet()) {
            String name = entry.key
            String type = typeOf(keys[name])
            Object value = entry.value
            if (value == null) {
                continue
            }
            Object converted = convert(type, value)
            if (converted == null) {
                return [values: values, error: "${step}: ${name} must be ${TYPES[type]}, not ${describe(value)}".toString()]
            }
            values[name] = converted
        }
        String missing = keys.find { String name, List spec -> spec[0].toString().endsWith('!') && isEmpty(values[name]) }?.key
        if (missing) {
            return [values: values, error: "${step}: ${missing} is required (see ${step}.txt)".toString()]
        }
        return [values: values, error: null]
    }

    /** The declared type of a key, without the required mark. */
    @NonCPS
    static String typeOf(List spec) {
        String type = spec[0]
        return type.endsWith('!') ? type[0..-2] : type
    }

    /** `value` as `type` wants it (Strings, never GStrings), or null when it is not of that type. */
    @NonCPS
    static Object convert(String type, Object value) {
        switch (type) {
            case 'string':
                return value instanceof CharSequence ? value.toString() : null
            case 'strings':
                return strings(value)
            case 'string|strings':
                return value instanceof CharSequence ? [value.toString()] : strings(value)
            case 'scalar':
                return (value instanceof CharSequence || value instanceof Number) ? value.toString() : null
            case 'boolean':
                return value instanceof Boolean ? value : null
            case 'integer':
                return (value instanceof Integer || value instanceof Long) ? value : null
            case 'map':
                return stringMap(value)
            default:
                throw new IllegalArgumentException("unknown parameter type ${type}")
        }
    }

    @NonCPS
    private static List<String> strings(Object value) {
        if (!(value instanceof List) || !((List) value).every { it instanceof CharSequence }) {
            return null
        }
        return ((List) value)*.toString()
    }

    @NonCPS
    private static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map) || !((Map) value).every { k, v -> k instanceof CharSequence && v instanceof CharSequence }) {
            return null
        }
        Map<String, String> result = [:]
        ((Map) value).each { k, v -> result[k.toString()] = v.toString() }
        return result
    }

    @NonCPS
    private static boolean isEmpty(Object value) {
        return value == null || ((value instanceof CharSequence || value instanceof Collection) && value.isEmpty())
    }

    /** The first of `keys` whose value (a String, or an element of a List) starts with '-', or null. */
    @NonCPS
    static String firstOptionLike(Map values, List<String> keys) {
        return keys.find { String key ->
            List items = values[key] instanceof List ? (List) values[key] : [values[key]]
            items.any { it instanceof CharSequence && it.toString().startsWith('-') }
        }
    }

    /**
     * What is wrong with a headers map (header name -> NAME of the variable holding the value), or null. The value is
     * never quoted: whoever got it wrong may have put the secret itself there.
     */
    @NonCPS
    static String headerProblem(Map<String, String> headers) {
        if (headers.keySet().any { !(it ==~ /[A-Za-z0-9!#$%&'*+.^_`|~-]+/) }) {
            return 'headers: a key is not a valid HTTP header name'
        }
        String header = headers.keySet().find { !(headers[it] ==~ /[A-Za-z_][A-Za-z0-9_]*/) }
        return header == null ? null : "headers: the value for ${header} must be the NAME of an environment variable " +
            'that holds it (e.g. from withCredentials), never the secret itself'
    }

    /** What a wrong value is, without the value itself. */
    @NonCPS
    static String describe(Object value) {
        if (value instanceof List) {
            int index = ((List) value).findIndexOf { !(it instanceof CharSequence) }
            Object odd = index < 0 ? null : ((List) value)[index]
            return index < 0 ? 'a List' : 'a List holding ' + (odd == null ? 'null' : article(odd.getClass().simpleName))
        }
        return article(value.getClass().simpleName)
    }

    @NonCPS
    private static String article(String noun) {
        return ('AEIOU'.contains(noun[0]) ? 'an ' : 'a ') + noun
    }
}
