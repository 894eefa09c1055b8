using System.Reflection;

namespace PluginHub.Rules.Tests;

public sealed class PublicSurfaceTests
{
    [Fact]
    public void No_public_member_exposes_a_Jint_or_Acornima_type()
    {
        // DESIGN principle 6: Jint enters through PluginHub.Rules only; callers must never need (or get) its types.
        var leaks = typeof(RuleRuntime).Assembly.GetExportedTypes()
            .SelectMany(type => type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(member => Signature(member).Select(t => $"{type.Name}.{member.Name}: {t.FullName}")))
            .Where(leak => leak.Contains("Jint", StringComparison.Ordinal) || leak.Contains("Acornima", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(leaks);
    }

    private static IEnumerable<Type> Signature(MemberInfo member) => member switch
    {
        MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
        ConstructorInfo constructor => constructor.GetParameters().Select(p => p.ParameterType),
        PropertyInfo property => [property.PropertyType],
        FieldInfo field => [field.FieldType],
        EventInfo e => [e.EventHandlerType!],
        _ => [],
    };
}
