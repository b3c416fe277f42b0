package io.whalekeeper.sandbox

import org.codehaus.groovy.runtime.InvokerHelper
import org.codehaus.groovy.runtime.MetaClassHelper
import org.codehaus.groovy.runtime.ScriptBytecodeAdapter
import org.codehaus.groovy.runtime.metaclass.ClosureMetaMethod
import org.jenkinsci.plugins.scriptsecurity.sandbox.RejectedAccessException
import org.jenkinsci.plugins.workflow.cps.EnvActionImpl

import java.lang.reflect.Constructor
import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier

/**
 * The run-time half of the sandbox checker: code compiled with SandboxCustomizer calls these instead of making its
 * method calls, property reads and writes, subscripts, constructors and operators itself. Each one first finds the
 * member Groovy will use (Select), then allows it as a real controller would for a library outside the trusted ones:
 * the library's own classes (Script Security's ClassLoaderWhitelist), Pipeline's own additions (CpsWhitelist: the
 * script object's steps and globals, `env`'s getProperty/setProperty), or a signature on Lists.ALLOWED; anything else
 * throws RejectedAccessException naming the signature to approve (flagged when on the blacklist). The order of the
 * look-ups follows Script Security's SandboxInterceptor and groovy-sandbox's Checker.
 */
class Checker {

    /** The classes of Script Security's GDK lookup (DgmConverter's list), those of them Groovy 2.4 has. */
    static final List<Class<?>> DGM = ['DefaultGroovyMethods', 'StringGroovyMethods', 'SwingGroovyMethods',
                                       'SqlGroovyMethods', 'XmlGroovyMethods', 'EncodingGroovyMethods',
                                       'DateGroovyMethods', 'ProcessGroovyMethods'].collect { String n ->
        try {
            Class.forName('org.codehaus.groovy.runtime.' + n, false, Checker.classLoader)
        } catch (Throwable ignored) {
            null
        }
    }.findAll { it != null }

    static final Set<String> NUMBER_MATH = ['plus', 'minus', 'multiply', 'div', 'compareTo', 'or', 'and', 'xor',
                                            'intdiv', 'mod', 'leftShift', 'rightShift', 'rightShiftUnsigned'] as Set

    /** The library: vars/<step>.groovy scripts and src/io/whalekeeper classes (and their closures). */
    static final Set<String> LIBRARY = (new File(Lists.ROOT, 'vars').list().findAll { it.endsWith('.groovy') }
        .collect { it - '.groovy' } + new File(Lists.ROOT, 'src/io/whalekeeper').list().findAll { it.endsWith('.groovy') }
        .collect { 'io.whalekeeper.' + (it - '.groovy') }) as Set

    /** Every signature the library used, with what allowed it (the record, written at exit when asked for). */
    static final Map<String, String> USED = Collections.synchronizedMap(new TreeMap<String, String>())

    /** Every rejection of library code not made under `probe` (the run fails at exit if there is one). */
    static final List<String> REJECTED = Collections.synchronizedList([])

    private static final ThreadLocal<List<RejectedAccessException>> PROBE = new ThreadLocal<>()

    static {
        String record = System.getProperty('wk.sandbox.record')
        if (record) {
            Runtime.runtime.addShutdownHook(new Thread({
                new File(record).setText(USED.collect { String sig, String source -> sig + '  # ' + source + '\n' }.join(''), 'UTF-8')
                new File(record + '.rejected').setText(REJECTED.collect { it + '\n' }.join(''), 'UTF-8')
            }))
        }
    }

    /**
     * Runs `body` (code under test that is not the library, e.g. a probe script) with its allowed signatures kept out
     * of the record and its rejections returned rather than counted against the run.
     */
    static List<RejectedAccessException> probe(Closure body) {
        List<RejectedAccessException> seen = []
        List<RejectedAccessException> outer = PROBE.get()
        PROBE.set(seen)
        try {
            body()
        } catch (RejectedAccessException e) {
            if (!seen.any { it.is(e) }) {
                seen << e
            }
        } finally {
            PROBE.set(outer)
        }
        return seen
    }

    // ---- entry points the transformed code calls ----

    /** `receiver.name(args)`, `receiver?.name(args)`, `receiver*.name(args)`. */
    static Object call(Object receiver, boolean safe, boolean spread, String name, Object[] args) {
        if (receiver == null) {
            return safe ? null : InvokerHelper.invokeMethod(null, name, args)
        }
        if (spread) {
            return receiver.collect { it == null ? null : Checker.call(it, true, false, name, args) }
        }
        if (receiver instanceof Class) {
            MetaClass mc = InvokerHelper.getMetaClass((Class) receiver)
            if (mc instanceof MetaClassImpl) {
                MetaMethod m = ((MetaClassImpl) mc).retrieveStaticMethod(name, args)
                if (m != null && m.isStatic()) {
                    return staticCall(m.declaringClass.theClass == Class ? Class : (Class) receiver, name, args)
                }
            }
        }
        checkMethod(receiver, name, args)
        return InvokerHelper.invokeMethod(receiver, name, args)
    }

    /** `Type.name(args)` resolved to a static method. */
    static Object staticCall(Class type, String name, Object[] args) {
        Method m = Select.staticMethod(type, name, args)
        if (m == null) {
            reject(new RejectedAccessException('staticMethod ' + Select.name(type) + ' ' + name + Select.argumentTypes(args),
                'No such static method found: staticMethod ' + Select.name(type) + ' ' + name + Select.argumentTypes(args)))
        }
        permit(m, type)
        return InvokerHelper.invokeStaticMethod(type, name, args)
    }

    /** `new Type(args)`. */
    static Object construct(Class type, Object[] args) {
        Constructor<?> c = Select.constructor(type, args)
        if (c == null) {
            reject(new RejectedAccessException('new ' + Select.name(type) + Select.argumentTypes(args),
                'No such constructor found: new ' + Select.name(type) + Select.argumentTypes(args)))
        }
        if (!library(c.declaringClass)) {
            allowOrReject(Select.signature(c))
        }
        return InvokerHelper.invokeConstructorOf(type, args)
    }

    /** `receiver.name`, `receiver?.name`, `receiver*.name`. */
    static Object getProperty(Object receiver, boolean safe, boolean spread, String name) {
        if (receiver == null) {
            return safe ? null : InvokerHelper.getProperty(null, name)
        }
        if (spread) {
            return receiver.collect { it == null ? null : Checker.getProperty(it, true, false, name) }
        }
        if (receiver instanceof Map) {
            // MetaClassImpl reads a Map's property as Map.get
            checkMethod(receiver, 'get', [name] as Object[])
        } else {
            checkGetProperty(receiver, name)
        }
        return InvokerHelper.getProperty(receiver, name)
    }

    /** `receiver.name = value`. */
    static Object setProperty(Object receiver, String name, Object value) {
        if (receiver instanceof Map) {
            checkMethod(receiver, 'put', [name, value] as Object[])
        } else if (receiver != null) {
            checkSetProperty(receiver, name, value)
        }
        InvokerHelper.setProperty(receiver, name, value)
        return value
    }

    /** `receiver[index]`. */
    static Object getArray(Object receiver, Object index) {
        checkSubscript(receiver, 'getAt', [index] as Object[])
        return InvokerHelper.invokeMethod(receiver, 'getAt', [index] as Object[])
    }

    /** `receiver[index] = value`. */
    static Object setArray(Object receiver, Object index, Object value) {
        checkSubscript(receiver, 'putAt', [index, value] as Object[])
        InvokerHelper.invokeMethod(receiver, 'putAt', [index, value] as Object[])
        return value
    }

    /** `lhs OP rhs` for ==, !=, <, <=, >, >=, <=>: checked as lhs.compareTo(rhs) or lhs.equals(rhs), as groovy-sandbox does. */
    static Object comparison(Object lhs, String method, Object rhs) {
        if (lhs != null) {
            checkMethod(lhs, lhs instanceof Comparable ? 'compareTo' : 'equals', [rhs] as Object[])
        }
        return InvokerHelper.invokeStaticMethod(ScriptBytecodeAdapter, method, [lhs, rhs] as Object[])
    }

    /** `lhs OP rhs` for +, -, <<, …: the method the operator names, called on lhs. */
    static Object binaryOp(Object lhs, String method, Object rhs) {
        return call(lhs, false, false, method, [rhs] as Object[])
    }

    // ---- the checks ----

    /** Whether `receiver.name(args)` is allowed (SandboxInterceptor.onMethodCall); throws when not. */
    static void checkMethod(Object receiver, String name, Object[] args) {
        Method m = Select.method(receiver, name, args)
        if (m != null) {
            permit(m, receiver)
            return
        }
        if (receiver instanceof Number && name in NUMBER_MATH) {
            return // Integer.plus(Integer) and the like: synthetic, allowed
        }
        Object[] self = [receiver] + (args as List) as Object[]
        Method gdk = null
        for (Class<?> dgm : DGM) {
            Method found = Select.staticMethod(dgm, name, self)
            if (found != null) {
                if (allowed(Select.signature(found))) {
                    record(Select.signature(found))
                    return
                }
                gdk = gdk ?: found
            }
        }
        if (gdk != null) {
            allowOrReject(Select.signature(gdk))
        }
        if (receiver instanceof Script) {
            return // Pipeline's CpsWhitelist: the script's invokeMethod (its steps and global variables)
        }
        Method catchAll = Select.method(receiver, 'invokeMethod', [name, args] as Object[])
        if (catchAll != null && receiver instanceof GroovyObject) {
            if (library(receiver.getClass())) {
                return // the library's own class: Groovy reports the missing method itself
            }
            allowOrReject(Select.signature(catchAll))
        }
        MetaMethod meta = metaMethod(receiver, name, args)
        if (meta instanceof ClosureMetaMethod) {
            return
        }
        // no such method: Groovy throws MissingMethodException itself
    }

    /** Whether `receiver.name` may be read (SandboxInterceptor.onGetProperty); throws when not. */
    static void checkGetProperty(Object receiver, String name) {
        if (receiver instanceof Script && ((Script) receiver).binding.hasVariable(name)) {
            return // a global variable or step of the build (CpsWhitelist getProperty)
        }
        if (name == 'length' && receiver.getClass().isArray()) {
            return
        }
        String cap = MetaClassHelper.capitalize(name)
        Object[] none = [] as Object[]
        String rejected = null
        Method getter = Select.method(receiver, 'get' + cap, none)
        if (getter != null) {
            if (permits(getter, receiver)) { return }
            rejected = rejected ?: Select.signature(getter)
        }
        Method is = Select.method(receiver, 'is' + cap, none)
        if (is != null && is.returnType == boolean) {
            if (permits(is, receiver)) { return }
            rejected = rejected ?: Select.signature(is)
        }
        for (Class<?> dgm : DGM) {
            for (String prefix : ['get', 'is']) {
                Method found = Select.staticMethod(dgm, prefix + cap, [receiver] as Object[])
                if (found != null && (prefix == 'get' || found.returnType == boolean)) {
                    if (permits(found, dgm)) { return }
                    rejected = rejected ?: Select.signature(found)
                }
            }
        }
        Field field = Select.field(receiver, name)
        if (field != null) {
            if (permits(field)) { return }
            rejected = rejected ?: Select.signature(field)
        }
        Method dynamic = Select.method(receiver, 'getProperty', [name] as Object[])
        if (dynamic != null && !synthetic(receiver, dynamic)) {
            if (permits(dynamic, receiver)) { return }
            rejected = rejected ?: Select.signature(dynamic)
        }
        if (metaMethod(receiver, 'get' + cap, none) instanceof ClosureMetaMethod) {
            return
        }
        if (receiver instanceof Class) {
            for (String prefix : ['get', 'is']) {
                Method found = Select.staticMethod((Class) receiver, prefix + cap, none)
                if (found != null && Modifier.isStatic(found.modifiers) && (prefix == 'get' || found.returnType == boolean)) {
                    if (permits(found, receiver)) { return }
                    rejected = rejected ?: Select.signature(found)
                }
            }
            Field f = Select.staticField((Class) receiver, name)
            if (f != null) {
                if (permits(f)) { return }
                rejected = rejected ?: Select.signature(f)
            }
        }
        if (receiver instanceof Script) {
            return // Groovy throws MissingPropertyException itself
        }
        reject(rejected ? new RejectedAccessException(rejected, Lists.BLACKLIST.contains(rejected)) :
            new RejectedAccessException('field ' + Select.name(receiver.getClass()) + ' ' + name,
                'unclassified field ' + Select.name(receiver.getClass()) + ' ' + name))
    }

    /** Whether `receiver.name = value` is allowed (SandboxInterceptor.onSetProperty); throws when not. */
    static void checkSetProperty(Object receiver, String name, Object value) {
        if (receiver instanceof Script && !(name in ['binding', 'metaClass'])) {
            return
        }
        String rejected = null
        String setter = 'set' + MetaClassHelper.capitalize(name)
        List<Method> setters = Select.methods(receiver, setter, 1)
        Method m = setters.size() == 1 ? setters[0] : Select.method(receiver, setter, [value] as Object[])
        if (m != null) {
            if (permits(m, receiver)) { return }
            rejected = Select.signature(m)
        }
        Method dynamic = Select.method(receiver, 'setProperty', [name, value] as Object[])
        if (dynamic != null && !synthetic(receiver, dynamic)) {
            if (permits(dynamic, receiver)) { return }
            rejected = rejected ?: Select.signature(dynamic)
        }
        Field field = Select.field(receiver, name)
        if (field != null) {
            if (permits(field)) { return }
            rejected = rejected ?: Select.signature(field)
        }
        reject(rejected ? new RejectedAccessException(rejected, Lists.BLACKLIST.contains(rejected)) :
            new RejectedAccessException('field ' + Select.name(receiver.getClass()) + ' ' + name,
                'unclassified field ' + Select.name(receiver.getClass()) + ' ' + name))
    }

    /** `receiver[i]` and `receiver[i] = v` (SandboxInterceptor.onGetArray/onSetArray): the method, else the first GDK one. */
    static void checkSubscript(Object receiver, String name, Object[] args) {
        if (receiver == null || (receiver.getClass().isArray() && args[0] instanceof Integer)) {
            return
        }
        Method m = Select.method(receiver, name, args)
        if (m != null) {
            permit(m, receiver)
            return
        }
        Object[] self = [receiver] + (args as List) as Object[]
        for (Class<?> dgm : DGM) {
            Method found = Select.staticMethod(dgm, name, self)
            if (found != null) {
                permit(found, dgm)
                return
            }
        }
        reject(new RejectedAccessException('method ' + Select.name(receiver.getClass()) + ' ' + name,
            "No such ${name} method found: ${Select.name(receiver.getClass())}[${Select.argumentTypes(args).trim()}]"))
    }

    // ---- what allows a member ----

    /** Allows `m` called on `receiver`, or throws. */
    private static void permit(Method m, Object receiver) {
        if (!permits(m, receiver)) {
            String sig = Select.signature(m)
            reject(new RejectedAccessException(sig, Lists.BLACKLIST.contains(sig)))
        }
    }

    private static boolean permits(Method m, Object receiver) {
        if (library(m.declaringClass)) {
            return true
        }
        String sig = Select.signature(m)
        if (receiver instanceof EnvActionImpl && m.name in ['getProperty', 'setProperty']) {
            record(sig, 'Pipeline: env (CpsWhitelist allows EnvActionImpl getProperty/setProperty)')
            return true
        }
        if (receiver instanceof Script && m.name in ['invokeMethod', 'getProperty', 'evaluate', 'println', 'print', 'printf']) {
            return true // Pipeline: the script's own dynamic members (steps, globals, echo)
        }
        if (allowed(sig)) {
            record(sig)
            return true
        }
        return false
    }

    private static boolean permits(Field f) {
        if (library(f.declaringClass)) {
            return true
        }
        String sig = Select.signature(f)
        if (allowed(sig)) {
            record(sig)
            return true
        }
        return false
    }

    private static void allowOrReject(String sig) {
        if (allowed(sig)) {
            record(sig)
            return
        }
        reject(new RejectedAccessException(sig, Lists.BLACKLIST.contains(sig)))
    }

    /** On a whitelist and not on the blacklist. */
    static boolean allowed(String sig) {
        return Lists.ALLOWED.containsKey(sig) && !Lists.BLACKLIST.contains(sig)
    }

    /** A class of the library itself (or one of its closures, named Outer$_…). */
    static boolean library(Class<?> type) {
        String name = type.name
        int dollar = name.indexOf('$')
        return LIBRARY.contains(dollar < 0 ? name : name.substring(0, dollar))
    }

    private static void record(String sig, String source = null) {
        if (PROBE.get() == null) {
            USED.put(sig, source ?: Lists.ALLOWED[sig])
        }
    }

    private static void reject(RejectedAccessException e) {
        List<RejectedAccessException> probing = PROBE.get()
        if (probing != null) {
            probing << e
        } else {
            REJECTED << e.message
        }
        throw e
    }

    private static boolean synthetic(Object receiver, Method m) {
        try {
            return receiver.getClass().getDeclaredMethod(m.name, String, Object).isSynthetic()
        } catch (NoSuchMethodException ignored) {
            return false
        }
    }

    private static MetaMethod metaMethod(Object receiver, String name, Object[] args) {
        try {
            return InvokerHelper.getMetaClass(receiver).pickMethod(name, args.collect { it == null ? void : it.getClass() } as Class[])
        } catch (GroovyRuntimeException ignored) {
            return null
        }
    }
}
