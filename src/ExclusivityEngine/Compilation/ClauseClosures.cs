using System.Linq.Expressions;
using System.Reflection;
using ExclusivityEngine.Model;
using NRules.RuleModel;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// The NRules conditions and actions of the clauses, in a build that cannot emit code (the native one), as trees of
/// ordinary compiled objects, one per node. There <c>Expression.Compile</c> interprets: it allocates a frame and boxes
/// every value on each call, and the memo's new classes spent more time in that and in the garbage it left than in
/// the Rete network itself. Only the nodes a condition can hold (<see cref="ConditionGuard"/>) inside the lambda
/// NRules makes of it (the fact's value unwrapped into a variable, then the condition), and the clause's one action,
/// are built; anything else returns null and is interpreted, so a tree this does not know is never answered
/// differently, only more slowly.
/// </summary>
internal static class ClauseClosures
{
    /// <summary>The condition or action as closures, of the lambda's own delegate type; null when it is neither.</summary>
    public static TDelegate? TryBuild<TDelegate>(Expression<TDelegate> lambda)
        where TDelegate : Delegate =>
        (TryCompile(lambda) ?? TryCompileAction(lambda)) as TDelegate;

    /// <summary>
    /// A delegate assignable to the lambda's own type (<c>Func&lt;Fact, bool&gt;</c> or <c>Func&lt;Tuple, Fact,
    /// bool&gt;</c>, by contravariance), or null when the lambda is not a condition of the shape described above.
    /// </summary>
    public static Delegate? TryCompile(LambdaExpression lambda)
    {
        if (lambda.ReturnType != typeof(bool) || lambda.Parameters.Count is not (1 or 2) || lambda.Parameters.Any(p => p.Type.IsValueType || p.IsByRef))
        {
            return null;
        }
        ParameterExpression? variable = null;
        var condition = lambda.Body;
        if (condition is BlockExpression block)
        {
            // The fact's value assigned to the pattern's variable (when the condition reads it), then the condition.
            var unwrap = block.Expressions.Count == 2 ? block.Expressions[0] : null;
            if (block.Variables.Count > 1 || block.Expressions.Count != block.Variables.Count + 1 || block.Type != typeof(bool)
                || (unwrap is not null && !IsFactValue(unwrap, block.Variables[0], lambda.Parameters[^1])))
            {
                return null;
            }
            variable = unwrap is null ? null : block.Variables[0];
            condition = block.Expressions[^1];
        }
        if (condition.Type != typeof(bool) || new Builder(variable).Build(condition) is not { } node)
        {
            return null;
        }
        var type = variable?.Type;
        return lambda.Parameters.Count == 1
            ? new Func<object?, bool>(fact => node.Bool(Unwrap(fact, type)))
            : new Func<object?, object?, bool>((_, fact) => node.Bool(Unwrap(fact, type)));
    }

    /// <summary>
    /// A delegate assignable to <c>Action&lt;IContext, Tuple&gt;</c>, or null: the action of a clause's rule
    /// (<see cref="ScenarioFact.Apply"/> of its number on the one fact of the match), as NRules makes it, which walks
    /// the tuple with its enumerator to the fact and casts the fact's value.
    /// </summary>
    public static Delegate? TryCompileAction(LambdaExpression lambda)
    {
        if (lambda.ReturnType != typeof(void) || lambda.Parameters is not [var context, var tuple]
            || !typeof(IContext).IsAssignableFrom(context.Type) || !typeof(ITuple).IsAssignableFrom(tuple.Type)
            || lambda.Body is not BlockExpression { Variables.Count: 2, Expressions: [var start, var next, var unwrap, var apply] } block
            || block.Variables.FirstOrDefault(v => v.Type == typeof(ScenarioFact)) is not { } fact
            || block.Variables.FirstOrDefault(v => v != fact) is not { } enumerator
            || start is not BinaryExpression { NodeType: ExpressionType.Assign, Left: var assigned, Right: MethodCallExpression { Method.Name: "GetEnumerator", Arguments.Count: 0, Object: var walked } }
            || assigned != enumerator || walked != tuple
            || next is not MethodCallExpression { Method.Name: "MoveNext", Arguments.Count: 0, Object: var moved } || moved != enumerator
            || unwrap is not BinaryExpression { NodeType: ExpressionType.Assign, Left: var target, Right: UnaryExpression { NodeType: ExpressionType.Convert, Method: null, Operand: MemberExpression { Member: PropertyInfo { Name: "Object" } value, Expression: MemberExpression { Member: PropertyInfo { Name: "Current" }, Expression: var current } } } }
            || target != fact || current != enumerator || !typeof(IFact).IsAssignableFrom(value.DeclaringType)
            || apply is not MethodCallExpression { Object: var applied, Arguments: [ConstantExpression { Value: int clause }] } call
            || applied != fact || call.Method != typeof(ScenarioFact).GetMethod(nameof(ScenarioFact.Apply)))
        {
            return null;
        }
        // The enumerator's first fact: the right-most one the tuple holds, as ITuple.Facts lists them.
        return new Action<object?, object?>((_, match) =>
            ((ScenarioFact)(((ITuple)match!).Facts.First().Value ?? throw new InvalidOperationException("the match holds no scenario"))).Apply(clause));
    }

    /// <summary><c>variable = (T)fact.Object</c>, as NRules' expression optimizer writes it.</summary>
    private static bool IsFactValue(Expression e, ParameterExpression variable, ParameterExpression fact) =>
        e is BinaryExpression { NodeType: ExpressionType.Assign, Left: var left, Right: UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert }
        && left == variable && !variable.Type.IsValueType && convert.Type == variable.Type
        && convert.Operand is MemberExpression { Member: PropertyInfo { Name: "Object" } property, Expression: var owner }
        && owner == fact && typeof(IFact).IsAssignableFrom(property.DeclaringType) && property.PropertyType == typeof(object);

    /// <summary>The pattern's variable: what the fact holds, cast as the lambda casts it (which throws on a wrong type).</summary>
    private static object? Unwrap(object? fact, Type? type)
    {
        if (type is null)
        {
            return null;
        }
        var value = ((IFact)fact!).Value;
        return value is null || type.IsInstanceOfType(value) ? value : throw new InvalidCastException($"a {value.GetType()} is not a {type}");
    }

    /// <summary>Builds the node of each expression, typed by the expression's type; null for one it does not know.</summary>
    private sealed class Builder(ParameterExpression? variable)
    {
        public Node? Build(Expression e) => e switch
        {
            ParameterExpression p => p == variable ? new Variable() : null,
            ConstantExpression c => Constant(c),
            MemberExpression m => Member(m),
            UnaryExpression u => Unary(u),
            BinaryExpression b => Binary(b),
            MethodCallExpression call => Call(call),
            _ => null,
        };

        private static Node? Constant(ConstantExpression c) => c.Type switch
        {
            var t when t == typeof(bool) => new BoolConstant((bool)c.Value!),
            var t when t == typeof(DateOnly) => new DateConstant((DateOnly)c.Value!),
            var t when t == typeof(bool?) => new NullableBoolConstant((bool?)c.Value),
            var t when t == typeof(DateOnly?) => new NullableDateConstant((DateOnly?)c.Value),
            { IsValueType: false } => new ReferenceConstant(c.Value),
            _ => null,
        };

        private Node? Member(MemberExpression m)
        {
            if (m.Member is not PropertyInfo { GetMethod: { IsStatic: false } getter } property || m.Expression is null || Build(m.Expression) is not { } owner)
            {
                return null;
            }
            var from = m.Expression.Type;
            if (from == typeof(DateOnly?) && property.Name == nameof(Nullable<DateOnly>.HasValue))
            {
                return new DateHasValue(owner);
            }
            // Open-instance delegates over the getters of the types a condition reads, of types known when this is
            // compiled (a native build cannot make a generic type at run time).
            return from == typeof(Scenario) ? Getter<Scenario>(owner, getter, property.PropertyType)
                : from == typeof(Product) ? Getter<Product>(owner, getter, property.PropertyType)
                : from == typeof(ScenarioFact) ? Getter<ScenarioFact>(owner, getter, property.PropertyType)
                : null;
        }

        private static Node? Getter<TOwner>(Node owner, MethodInfo getter, Type type)
            where TOwner : class =>
            type == typeof(DateOnly) ? new DateGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, DateOnly>>())
            : type == typeof(bool?) ? new NullableBoolGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, bool?>>())
            : type == typeof(DateOnly?) ? new NullableDateGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, DateOnly?>>())
            : type == typeof(string) ? new ReferenceGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, string>>())
            : type == typeof(Product) ? new ReferenceGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, Product>>())
            : type == typeof(Scenario) ? new ReferenceGetter<TOwner>(owner, getter.CreateDelegate<Func<TOwner, Scenario>>())
            : null;

        private Node? Unary(UnaryExpression u)
        {
            if (u.Method is not null || Build(u.Operand) is not { } operand)
            {
                return null;
            }
            var from = u.Operand.Type;
            return u.NodeType switch
            {
                ExpressionType.Not when u.Type == typeof(bool) && from == typeof(bool) => new Not(operand),
                ExpressionType.Convert when u.Type == from => operand,
                ExpressionType.Convert when u.Type == typeof(bool?) && from == typeof(bool) => new BoolToNullable(operand),
                ExpressionType.Convert when u.Type == typeof(DateOnly?) && from == typeof(DateOnly) => new DateToNullable(operand),
                _ => null,
            };
        }

        private Node? Binary(BinaryExpression b)
        {
            if (b.Type != typeof(bool) || b.IsLiftedToNull || b.Conversion is not null || Build(b.Left) is not { } left || Build(b.Right) is not { } right)
            {
                return null;
            }
            if (b.NodeType is ExpressionType.AndAlso or ExpressionType.OrElse)
            {
                return b.Method is null && b.Left.Type == typeof(bool) && b.Right.Type == typeof(bool)
                    ? b.NodeType == ExpressionType.AndAlso ? new AndAlso(left, right) : new OrElse(left, right)
                    : null;
            }
            var type = b.Left.Type;
            // A type's own operator for the node's comparison, or none: either way the language's meaning, which the
            // nodes below implement. A tree may pair a node with another operator (Equal with op_Inequality); the
            // parser never does, and such a tree is left to the interpreter, which calls what it names.
            if (type != b.Right.Type || (b.Method is { } method
                && !((method.DeclaringType == Nullable.GetUnderlyingType(type) || method.DeclaringType == type) && method.Name == ConditionGuard.OperatorName(b.NodeType))))
            {
                return null;
            }
            var comparison = b.NodeType;
            var equality = comparison is ExpressionType.Equal or ExpressionType.NotEqual;
            return ConditionGuard.OperatorName(comparison) is null ? null
                // Without string's operator the tree compares references (the guard refuses that): left to the interpreter.
                : type == typeof(string) ? (equality && b.Method is not null ? new StringEquality(left, right, comparison) : null)
                : type == typeof(DateOnly) ? new DateComparison(left, right, comparison)
                : type == typeof(DateOnly?) ? new NullableDateComparison(left, right, comparison)
                : type == typeof(bool) ? (equality && b.Method is null ? new BoolEquality(left, right, comparison) : null)
                : type == typeof(bool?) ? (equality && b.Method is null ? new NullableBoolEquality(left, right, comparison) : null)
                : null;
        }

        private Node? Call(MethodCallExpression call)
        {
            var method = call.Method;
            if (call.Object is { } target)
            {
                // GetValueOrDefault() of a date that may be missing, as an occurrence is read.
                return call.Arguments.Count == 0 && method.Name == nameof(Nullable<DateOnly>.GetValueOrDefault) && target.Type == typeof(DateOnly?) && Build(target) is { } value
                    ? new DateValueOrDefault(value)
                    : null;
            }
            // `value in (a, b, c)`: Enumerable.Contains over an array of constants.
            if (method.DeclaringType != typeof(Enumerable) || method.Name != nameof(Enumerable.Contains) || call.Arguments.Count != 2
                || call.Arguments[0] is not NewArrayExpression { NodeType: ExpressionType.NewArrayInit } list
                || !list.Expressions.All(x => x is ConstantExpression) || Build(call.Arguments[1]) is not { } item)
            {
                return null;
            }
            var values = list.Expressions.Select(x => ((ConstantExpression)x).Value).ToArray();
            var type = call.Arguments[1].Type;
            return type == typeof(string) ? new StringIn(item, [.. values.Cast<string?>()]) : null;
        }
    }

    /// <summary>Whether <paramref name="comparison"/> holds between two values that compare as <paramref name="order"/>.</summary>
    private static bool Holds(int order, ExpressionType comparison) => comparison switch
    {
        ExpressionType.Equal => order == 0,
        ExpressionType.NotEqual => order != 0,
        ExpressionType.LessThan => order < 0,
        ExpressionType.LessThanOrEqual => order <= 0,
        ExpressionType.GreaterThan => order > 0,
        _ => order >= 0,
    };

    /// <summary>
    /// One node of a condition, evaluated against the pattern's variable. Each node answers through the method of its
    /// expression's type only; the builder never asks a node for another.
    /// </summary>
    private abstract class Node
    {
        public virtual bool Bool(object? x) => throw Mismatch();

        public virtual DateOnly Date(object? x) => throw Mismatch();

        public virtual bool? NullableBool(object? x) => throw Mismatch();

        public virtual DateOnly? NullableDate(object? x) => throw Mismatch();

        public virtual object? Reference(object? x) => throw Mismatch();

        private InvalidOperationException Mismatch() => new($"{GetType().Name} was read as a value of another type");
    }

    private sealed class Variable : Node
    {
        public override object? Reference(object? x) => x;
    }

    private sealed class BoolConstant(bool value) : Node
    {
        public override bool Bool(object? x) => value;
    }

    private sealed class DateConstant(DateOnly value) : Node
    {
        public override DateOnly Date(object? x) => value;
    }

    private sealed class NullableBoolConstant(bool? value) : Node
    {
        public override bool? NullableBool(object? x) => value;
    }

    private sealed class NullableDateConstant(DateOnly? value) : Node
    {
        public override DateOnly? NullableDate(object? x) => value;
    }

    private sealed class ReferenceConstant(object? value) : Node
    {
        public override object? Reference(object? x) => value;
    }

    // A getter of a null owner throws as the tree's member access would (NRules reports it as the condition's failure).
    private sealed class DateGetter<TOwner>(Node owner, Func<TOwner, DateOnly> read) : Node
        where TOwner : class
    {
        public override DateOnly Date(object? x) => read((TOwner)owner.Reference(x)!);
    }

    private sealed class NullableBoolGetter<TOwner>(Node owner, Func<TOwner, bool?> read) : Node
        where TOwner : class
    {
        public override bool? NullableBool(object? x) => read((TOwner)owner.Reference(x)!);
    }

    private sealed class NullableDateGetter<TOwner>(Node owner, Func<TOwner, DateOnly?> read) : Node
        where TOwner : class
    {
        public override DateOnly? NullableDate(object? x) => read((TOwner)owner.Reference(x)!);
    }

    private sealed class ReferenceGetter<TOwner>(Node owner, Func<TOwner, object?> read) : Node
        where TOwner : class
    {
        public override object? Reference(object? x) => read((TOwner)owner.Reference(x)!);
    }

    private sealed class DateHasValue(Node value) : Node
    {
        public override bool Bool(object? x) => value.NullableDate(x).HasValue;
    }

    private sealed class DateValueOrDefault(Node value) : Node
    {
        public override DateOnly Date(object? x) => value.NullableDate(x).GetValueOrDefault();
    }

    private sealed class Not(Node operand) : Node
    {
        public override bool Bool(object? x) => !operand.Bool(x);
    }

    private sealed class BoolToNullable(Node operand) : Node
    {
        public override bool? NullableBool(object? x) => operand.Bool(x);
    }

    private sealed class DateToNullable(Node operand) : Node
    {
        public override DateOnly? NullableDate(object? x) => operand.Date(x);
    }

    private sealed class AndAlso(Node left, Node right) : Node
    {
        public override bool Bool(object? x) => left.Bool(x) && right.Bool(x);
    }

    private sealed class OrElse(Node left, Node right) : Node
    {
        public override bool Bool(object? x) => left.Bool(x) || right.Bool(x);
    }

    private sealed class StringEquality(Node left, Node right, ExpressionType comparison) : Node
    {
        public override bool Bool(object? x) => string.Equals((string?)left.Reference(x), (string?)right.Reference(x), StringComparison.Ordinal) == (comparison == ExpressionType.Equal);
    }

    private sealed class BoolEquality(Node left, Node right, ExpressionType comparison) : Node
    {
        public override bool Bool(object? x) => (left.Bool(x) == right.Bool(x)) == (comparison == ExpressionType.Equal);
    }

    private sealed class NullableBoolEquality(Node left, Node right, ExpressionType comparison) : Node
    {
        public override bool Bool(object? x) => (left.NullableBool(x) == right.NullableBool(x)) == (comparison == ExpressionType.Equal);
    }

    private sealed class DateComparison(Node left, Node right, ExpressionType comparison) : Node
    {
        public override bool Bool(object? x) => Holds(left.Date(x).CompareTo(right.Date(x)), comparison);
    }

    // Lifted: equal when both are missing; an order holds only between two dates.
    private sealed class NullableDateComparison(Node left, Node right, ExpressionType comparison) : Node
    {
        public override bool Bool(object? x)
        {
            var (a, b) = (left.NullableDate(x), right.NullableDate(x));
            return comparison switch
            {
                ExpressionType.Equal => a == b,
                ExpressionType.NotEqual => a != b,
                _ => a is { } first && b is { } second && Holds(first.CompareTo(second), comparison),
            };
        }
    }

    private sealed class StringIn(Node item, string?[] values) : Node
    {
        public override bool Bool(object? x) => Array.IndexOf(values, (string?)item.Reference(x)) >= 0;
    }

}
