package io.whalekeeper.sandbox

import groovy.transform.CompileStatic

import java.lang.reflect.Constructor
import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.util.concurrent.ConcurrentHashMap

/**
 * Which JVM member a Groovy call lands on, as Script Security decides it (its GroovyCallSiteSelector): the receiver's
 * supertypes first (so `'x'.toString()` is Object's toString, and `env.getProperty` is GroovyObject's), exact
 * parameter types matched by instance (null fits any reference, a GString fits String, Integer fits long), varargs
 * spread, the most specific of several candidates. Signatures are named as Script Security names them.
 */
@CompileStatic
class Select {

    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>()
    private static final Object NONE = new Object()

    /** The instance method `name` that `receiver.name(args)` calls, searched in its supertypes first; or null. */
    static Method method(Object receiver, String name, Object[] args) {
        return (Method) cached('m', receiver.getClass(), name, args) {
            for (Class<?> type : types(receiver.getClass())) {
                Method found = declared(type, name, args)
                if (found != null) {
                    return found
                }
            }
            return receiver instanceof GString ? declared(String, name, args) : null
        }
    }

    /** The method `type.name(args)` declared in `type` itself (static calls, GDK lookups); or null. */
    static Method staticMethod(Class<?> type, String name, Object[] args) {
        return (Method) cached('s' + type.name, type, name, args) { declared(type, name, args) }
    }

    /** The methods named `name` in `receiver`'s types that `accept` (setters: one parameter). */
    static List<Method> methods(Object receiver, String name, int parameters) {
        List<Method> found = []
        for (Class<?> type : types(receiver.getClass())) {
            for (Method m : type.declaredMethods) {
                if (m.name == name && m.parameterTypes.length == parameters) {
                    found << m
                }
            }
        }
        return found
    }

    /** The first declared constructor of `type` that takes `args`; or null. */
    static Constructor<?> constructor(Class<?> type, Object[] args) {
        for (Constructor<?> c : type.declaredConstructors) {
            if (matches(c.parameterTypes, args, c.isVarArgs())) {
                return c
            }
        }
        return null
    }

    /** The field `name` of `receiver`'s types, supertypes first; or null. */
    static Field field(Object receiver, String name) {
        for (Class<?> type : types(receiver.getClass())) {
            for (Field f : type.declaredFields) {
                if (f.name == name) {
                    return f
                }
            }
        }
        return null
    }

    /** The field `name` declared in `type` itself; or null. */
    static Field staticField(Class<?> type, String name) {
        return type.declaredFields.find { Field f -> f.name == name }
    }

    /** `method|staticMethod CLASS NAME PARAMETER-TYPES`, as an administrator sees it in "In-process Script Approval". */
    static String signature(Method m) {
        return (Modifier.isStatic(m.modifiers) ? 'staticMethod ' : 'method ') + name(m.declaringClass) + ' ' + m.name +
            m.parameterTypes.collect { Class<?> p -> ' ' + name(p) }.join('')
    }

    static String signature(Constructor<?> c) {
        return 'new ' + name(c.declaringClass) + c.parameterTypes.collect { Class<?> p -> ' ' + name(p) }.join('')
    }

    static String signature(Field f) {
        return (Modifier.isStatic(f.modifiers) ? 'staticField ' : 'field ') + name(f.declaringClass) + ' ' + f.name
    }

    /** A class as the lists name it: binary name, arrays as `T[]`. */
    static String name(Class<?> type) {
        return type.isArray() ? name(type.componentType) + '[]' : type.name
    }

    /** The argument types of a call, for a message naming a call with no member to approve. */
    static String argumentTypes(Object[] args) {
        return args.collect { Object a -> ' ' + (a == null ? 'null' : name(a.getClass())) }.join('')
    }

    private static Object cached(String kind, Class<?> type, String name, Object[] args, Closure<Object> find) {
        StringBuilder key = new StringBuilder(kind).append('|').append(type.name).append('|').append(name)
        for (Object a : args) {
            key.append('|').append(a == null ? 'null' : a.getClass().name)
        }
        String k = key.toString()
        Object hit = CACHE.get(k)
        if (hit == null) {
            hit = find.call() ?: NONE
            CACHE.put(k, hit)
        }
        return hit.is(NONE) ? null : hit
    }

    private static Method declared(Class<?> type, String name, Object[] args) {
        Method candidate = null
        // In a fixed order: the JVM lists declared methods in no particular one, and where two candidates are not
        // comparable the first one seen stays; the choice, and so the record of signatures, must not depend on it.
        for (Method m : type.declaredMethods.sort(false) { Method x -> x.toString() }) {
            if (m.name == name && matches(m.parameterTypes, args, m.isVarArgs())) {
                if (candidate == null || moreSpecific(m, candidate)) {
                    candidate = m
                }
            }
        }
        return candidate
    }

    /** The receiver's class and all its supertypes, each once, every supertype before its subtypes. */
    static Collection<Class<?>> types(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>()
        visit(types, type)
        return types
    }

    private static void visit(Set<Class<?>> types, Class<?> type) {
        if (type.superclass != null) {
            visit(types, type.superclass)
        }
        for (Class<?> i : type.interfaces) {
            visit(types, i)
        }
        types.add(type)
    }

    private static boolean matches(Class<?>[] parameters, Object[] args, boolean varargs) {
        Object[] actual = varargs ? spread(parameters, args) : args
        if (actual.length != parameters.length) {
            return false
        }
        for (int i = 0; i < parameters.length; i++) {
            Object arg = actual[i]
            Class<?> p = parameters[i]
            if (arg == null) {
                if (p.isPrimitive()) {
                    return false
                }
                continue
            }
            if (p.isInstance(arg) || (p.isPrimitive() && primitiveFits(wrapper(p), arg)) ||
                (p == String && arg instanceof GString)) {
                continue
            }
            return false
        }
        return true
    }

    private static Object[] spread(Class<?>[] parameters, Object[] args) {
        int fixed = parameters.length - 1
        int rest = args.length - fixed
        if (rest < 0 || (rest == 1 && parameters[fixed].isInstance(args[fixed]))) {
            return args
        }
        Object array = java.lang.reflect.Array.newInstance(parameters[fixed].componentType, rest)
        try {
            for (int i = 0; i < rest; i++) {
                java.lang.reflect.Array.set(array, i, args[fixed + i])
            }
        } catch (IllegalArgumentException ignored) {
            return [NONE] as Object[] // an element of the wrong type: no match
        }
        Object[] result = new Object[fixed + 1]
        System.arraycopy(args, 0, result, 0, fixed)
        result[fixed] = array
        return result
    }

    private static boolean primitiveFits(Class<?> wrapper, Object arg) {
        if (wrapper.isInstance(arg)) {
            return true
        }
        if (wrapper == Long && arg instanceof Integer) {
            return true
        }
        return wrapper == Integer && arg instanceof Long && ((Long) arg) >= Integer.MIN_VALUE && ((Long) arg) <= Integer.MAX_VALUE
    }

    private static boolean moreSpecific(Method more, Method less) {
        Class<?>[] a = more.parameterTypes
        Class<?>[] b = less.parameterTypes
        for (int i = 0; i < a.length; i++) {
            Class<?> m = wrapper(a[i])
            Class<?> l = wrapper(b[i])
            if (m.isAssignableFrom(l)) {
                return false
            } else if (l.isAssignableFrom(m)) {
                return true
            }
            if (m == Long && l == Integer) {
                return false
            } else if (m == Integer && l == Long) {
                return true
            }
        }
        return more.toString() > less.toString()
    }

    private static Class<?> wrapper(Class<?> type) {
        if (!type.isPrimitive()) {
            return type
        }
        Map<Class<?>, Class<?>> wrappers = [(Integer.TYPE): Integer, (Long.TYPE): Long, (Boolean.TYPE): Boolean,
            (Character.TYPE): Character, (Byte.TYPE): Byte, (Short.TYPE): Short, (Float.TYPE): Float, (Double.TYPE): Double]
        return (Class<?>) (wrappers[type] ?: Void)
    }
}
