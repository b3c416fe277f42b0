package io.whalekeeper.sandbox

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ArrayExpression
import org.codehaus.groovy.ast.expr.AttributeExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.ClassExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.ConstructorCallExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression
import org.codehaus.groovy.ast.expr.PropertyExpression
import org.codehaus.groovy.ast.expr.SpreadExpression
import org.codehaus.groovy.ast.expr.SpreadMapExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.syntax.Token
import org.codehaus.groovy.syntax.Types

/**
 * The compile-time half of the sandbox checker, as groovy-sandbox's SandboxTransformer does for Script Security:
 * rewrites every explicit method call (`a.m(x)`, `Type.m(x)`, `a?.m()`, `a*.m()`), property read and write, subscript
 * (`a[i]`, `a[i] = v`), constructor call, `in`, `==~`/`=~`, comparison and arithmetic operator into a call of
 * Checker, which checks the member against the lists and then performs it. A closure variable's `body()` is
 * `body.call()` by now, and checked as such. Calls without a receiver (`sh(…)`, `error(…)`, the class's own methods)
 * are the script's steps and globals or the library's own code, which Pipeline and Script Security allow, and are
 * left as they are, as are casts (Pipeline allows asType) and GStrings (Pipeline allows GStringImpl).
 *
 * Applied to the sources whose name matches `include` (by default: the library, vars/ and src/io/whalekeeper/).
 */
class SandboxCustomizer extends CompilationCustomizer {

    static final String LIBRARY = /(^|.*\/)(vars\/[^\/]+|src\/io\/whalekeeper\/[^\/]+)\.groovy$/

    private final String include

    SandboxCustomizer(String include = LIBRARY) {
        super(CompilePhase.CANONICALIZATION)
        this.include = include
    }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (include == null || source.name ==~ include) {
            new Transformer(source).visitClass(classNode)
        }
    }

    private static class Transformer extends ClassCodeExpressionTransformer {

        static final ClassNode CHECKER = ClassHelper.make(Checker)

        private final SourceUnit source

        Transformer(SourceUnit source) {
            this.source = source
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source
        }

        @Override
        Expression transform(Expression exp) {
            if (exp == null) {
                return null
            }
            if (exp instanceof ClosureExpression) {
                exp.code.visit(this)
                return exp
            }
            Expression result = rewrite(exp)
            if (!result.is(exp)) {
                result.setSourcePosition(exp)
            }
            return result
        }

        private Expression rewrite(Expression exp) {
            if (exp instanceof MethodCallExpression) {
                return methodCall((MethodCallExpression) exp)
            }
            if (exp instanceof ConstructorCallExpression && !((ConstructorCallExpression) exp).isSpecialCall()) {
                Expression args = argumentArray(((ConstructorCallExpression) exp).arguments)
                if (args != null) {
                    return checked('construct', new ClassExpression(exp.type), args)
                }
            }
            if (exp instanceof PropertyExpression && !(exp instanceof AttributeExpression) && checkable((PropertyExpression) exp)) {
                PropertyExpression pe = (PropertyExpression) exp
                return checked('getProperty', transform(pe.objectExpression), bool(pe.safe), bool(pe.spreadSafe),
                    new ConstantExpression(pe.propertyAsString))
            }
            if (exp instanceof BinaryExpression && !(exp instanceof DeclarationExpression)) {
                Expression done = binary((BinaryExpression) exp)
                if (done != null) {
                    return done
                }
            }
            return super.transform(exp)
        }

        private Expression methodCall(MethodCallExpression call) {
            String name = call.methodAsString
            Expression receiver = call.objectExpression
            boolean self = call.isImplicitThis() || (receiver instanceof VariableExpression &&
                (((VariableExpression) receiver).isThisExpression() || ((VariableExpression) receiver).isSuperExpression()))
            Expression args = argumentArray(call.arguments)
            if (name == null || self || args == null) {
                return super.transform(call)
            }
            return checked('call', transform(receiver), bool(call.safe), bool(call.spreadSafe), new ConstantExpression(name), args)
        }

        /** Only `a.b` whose receiver is not the class or script itself, with a constant name. */
        private static boolean checkable(PropertyExpression pe) {
            Expression receiver = pe.objectExpression
            if (pe.propertyAsString == null || pe.isImplicitThis()) {
                return false
            }
            return !(receiver instanceof VariableExpression && (((VariableExpression) receiver).isThisExpression() ||
                ((VariableExpression) receiver).isSuperExpression()))
        }

        private Expression binary(BinaryExpression be) {
            int op = be.operation.type
            Expression left = be.leftExpression
            if (op == Types.ASSIGN) {
                if (left instanceof PropertyExpression && !(left instanceof AttributeExpression) && checkable((PropertyExpression) left)) {
                    PropertyExpression pe = (PropertyExpression) left
                    return checked('setProperty', transform(pe.objectExpression), new ConstantExpression(pe.propertyAsString),
                        transform(be.rightExpression))
                }
                if (left instanceof BinaryExpression && ((BinaryExpression) left).operation.type == Types.LEFT_SQUARE_BRACKET) {
                    BinaryExpression sub = (BinaryExpression) left
                    return checked('setArray', transform(sub.leftExpression), transform(sub.rightExpression), transform(be.rightExpression))
                }
                return null
            }
            String compound = COMPOUND[op]
            if (compound != null) {
                if (left instanceof VariableExpression) {
                    // x += y: x = x.plus(y), checked
                    return new BinaryExpression(left, Token.newSymbol(Types.ASSIGN, be.operation.startLine, be.operation.startColumn),
                        checked('binaryOp', left, new ConstantExpression(compound), transform(be.rightExpression)))
                }
                return null
            }
            if (op == Types.LEFT_SQUARE_BRACKET) {
                return checked('getArray', transform(left), transform(be.rightExpression))
            }
            if (op == Types.KEYWORD_IN) {
                // a in b: b.isCase(a)
                return checked('call', transform(be.rightExpression), bool(false), bool(false), new ConstantExpression('isCase'),
                    array([transform(left)]))
            }
            if (op == Types.MATCH_REGEX || op == Types.FIND_REGEX) {
                return checked('staticCall', new ClassExpression(ClassHelper.make(org.codehaus.groovy.runtime.ScriptBytecodeAdapter)),
                    new ConstantExpression(op == Types.MATCH_REGEX ? 'matchRegex' : 'findRegex'),
                    array([transform(left), transform(be.rightExpression)]))
            }
            String comparison = COMPARISON[op]
            if (comparison != null) {
                return checked('comparison', transform(left), new ConstantExpression(comparison), transform(be.rightExpression))
            }
            String operator = OPERATORS[op]
            if (operator != null) {
                return checked('binaryOp', transform(left), new ConstantExpression(operator), transform(be.rightExpression))
            }
            return null // &&, ||, instanceof
        }

        /** The call's arguments as one Object[] expression (named arguments first, as one Map); null if spread. */
        private Expression argumentArray(Expression arguments) {
            List<Expression> items = arguments instanceof TupleExpression ? ((TupleExpression) arguments).expressions : [arguments]
            List<Expression> result = []
            for (Expression item : items) {
                if (item instanceof SpreadExpression || item instanceof SpreadMapExpression) {
                    return null
                }
                if (item instanceof NamedArgumentListExpression) {
                    MapExpression map = new MapExpression(((NamedArgumentListExpression) item).mapEntryExpressions)
                    result.add(0, transform(map))
                } else {
                    result << transform(item)
                }
            }
            return array(result)
        }

        private static Expression array(List<Expression> items) {
            return new ArrayExpression(ClassHelper.OBJECT_TYPE, items)
        }

        private static Expression bool(boolean value) {
            return new ConstantExpression(value, true)
        }

        private static Expression checked(String name, Expression... args) {
            return new StaticMethodCallExpression(CHECKER, name, new ArgumentListExpression(args))
        }

        static final Map<Integer, String> COMPARISON = [
            (Types.COMPARE_EQUAL): 'compareEqual', (Types.COMPARE_NOT_EQUAL): 'compareNotEqual',
            (Types.COMPARE_LESS_THAN): 'compareLessThan', (Types.COMPARE_LESS_THAN_EQUAL): 'compareLessThanEqual',
            (Types.COMPARE_GREATER_THAN): 'compareGreaterThan', (Types.COMPARE_GREATER_THAN_EQUAL): 'compareGreaterThanEqual',
            (Types.COMPARE_TO): 'compareTo',
        ]

        static final Map<Integer, String> OPERATORS = [
            (Types.PLUS): 'plus', (Types.MINUS): 'minus', (Types.MULTIPLY): 'multiply', (Types.POWER): 'power',
            (Types.DIVIDE): 'div', (Types.MOD): 'mod', (Types.BITWISE_OR): 'or', (Types.BITWISE_AND): 'and',
            (Types.BITWISE_XOR): 'xor', (Types.LEFT_SHIFT): 'leftShift', (Types.RIGHT_SHIFT): 'rightShift',
            (Types.RIGHT_SHIFT_UNSIGNED): 'rightShiftUnsigned', (Types.INTDIV): 'intdiv',
        ]

        static final Map<Integer, String> COMPOUND = [
            (Types.PLUS_EQUAL): 'plus', (Types.MINUS_EQUAL): 'minus', (Types.MULTIPLY_EQUAL): 'multiply',
            (Types.DIVIDE_EQUAL): 'div', (Types.MOD_EQUAL): 'mod', (Types.LEFT_SHIFT_EQUAL): 'leftShift',
            (Types.BITWISE_OR_EQUAL): 'or', (Types.BITWISE_AND_EQUAL): 'and',
        ]
    }
}
