using System.Linq.Expressions;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Loading;
using Newtonsoft.Json;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>Rule files are data, never code: conditions outside the allowed subset are refused at load and never run.</summary>
public sealed class ConditionGuardTests
{
    private const string File = "clauses/aws-openai-2025-11.json";
    private const string Original = "\"when\": \"cloud == \\\"aws\\\"\"";

    private static readonly string Marker = Path.Combine(Path.GetTempPath(), "exclusivity-pwned");

    public static IEnumerable<TestCaseData> Payloads()
    {
        yield return Case("\"\".GetType().Assembly.FullName != null", "reflection through GetType");
        yield return Case("cloud.GetType() != null", "GetType on a fact");
        yield return Case("product.GetType().Assembly.Location != \"\"", "assembly location");
        yield return Case("Type.GetType(\"System.IO.File\") != null", "Type.GetType");
        yield return Case($"System.IO.File.Exists(\"/etc/passwd\")", "file system");
        yield return Case($"System.IO.File.Create(\"{Marker}\") != null", "file creation");
        yield return Case($"System.Diagnostics.Process.Start(\"touch\", \"{Marker}\") != null", "process start");
        yield return Case("Environment.GetEnvironmentVariable(\"HOME\") != null", "environment");
        yield return Case("Environment.Exit(3) == null", "exit");
        yield return Case("DateTime.Now.Year > 2000", "clock");
        yield return Case("Math.Abs(1) == 1", "methods of other types");
        yield return Case("cloud.Length > 2", "a member of a string");
        yield return Case("cloud.Contains(\"a\")", "a string method");
        yield return Case("cloud.ToString() == \"aws\"", "ToString");
        yield return Case("\"abc\".Substring(1) == \"bc\"", "a method on a literal");
        yield return Case("date.AddDays(1) > \"2026-01-01\"", "a date method");
        yield return Case("new (cloud as x).x == \"aws\"", "object creation");
        yield return Case("iif(cloud == \"aws\", true, false)", "conditional operator");
        yield return Case("cloud == product.id", "fact against fact");
        yield return Case("cloud > \"a\"", "ordering of strings");
        yield return Case("string.Concat(cloud, cloud) == \"awsaws\"", "static string method");
        // Dynamic LINQ's own forms, types and members beyond the facts.
        yield return Case("np(cloud) == \"aws\"", "np");
        yield return Case("iif(cloud == \"aws\", agiDeclared, agiVerified)", "iif on facts");
        yield return Case("it == null", "it");
        yield return Case("it.cloud == \"aws\"", "a member of it");
        yield return Case("@0 == \"aws\"", "a replacement value");
        yield return Case("new(cloud as x) != null", "new with a member");
        yield return Case("new[] {\"aws\"}.Length == 1", "new array");
        yield return Case("int(1) == 1", "a cast to int");
        yield return Case("string(cloud) == \"aws\"", "a cast of a fact");
        yield return Case("object(cloud) != null", "a cast to object");
        yield return Case("(cloud as object) != null", "as");
        yield return Case("cloud is string", "is");
        yield return Case("DateTime.Now > DateTime.MinValue", "DateTime.Now");
        yield return Case("DateTime.UtcNow.Year == 2026", "DateTime.UtcNow");
        yield return Case("Guid.NewGuid() != Guid.Empty", "Guid.NewGuid");
        yield return Case("Math.Max(1, 2) == 2", "Math.Max");
        yield return Case("\"a\".Length == 1", "the length of a literal");
        yield return Case("cloud.StartsWith(\"a\")", "a string method on a fact");
        yield return Case("cloud.ToUpper() == \"AWS\"", "ToUpper");
        yield return Case("cloud.Any(c => c == 'a')", "an enumerable method on a string");
        yield return Case("new[] {\"aws\"}.Any(x => x == cloud)", "an enumerable method on a list");
        yield return Case("\\u0063loud == \"aws\"", "an escaped identifier");
        yield return Case("microsoftDeclined.Value", "the value of a nullable fact");
        yield return Case("microsoftDeclined.GetValueOrDefault()", "a method of a nullable fact");
        yield return Case("microsoftDeclined.HasValue", "a member of a nullable fact");
        yield return Case("date.Year > 2000", "a member of the date");
        yield return Case("product.Partner == null", "a product member that is not an attribute");
        yield return Case("product.IsInline", "a product flag that is not an attribute");
        yield return Case("product == null", "the product itself");
        // Conversions whose evaluation can throw (a nullable fact that is unknown): never let through.
        yield return Case("bool(microsoftDeclined)", "a nullable fact converted to bool");
        yield return Case("bool(microsoftDeclined) == true", "a converted nullable fact compared");
        yield return Case("not bool(shippedOnAzureFirst) and cloud == \"aws\"", "a converted nullable fact negated");
        yield return Case("microsoftDeclined", "a nullable fact alone");
        yield return Case("not microsoftDeclined", "a nullable fact negated");
        yield return Case("microsoftDeclined and agiDeclared", "a nullable fact in and");
        // A literal no scenario can equal, which the batch's fast path once took for U+FFFD (found by an adversarial run).
        yield return Case("product.id in (\"chatgpt\", \"\\ud800\")", "a lone high surrogate in a list");
        yield return Case("cloud == \"a\\udc00\"", "a lone low surrogate");
        yield return Case("segment != \"\\udc00\\ud800\"", "surrogates in the wrong order");
        // A date literal is strict yyyy-mm-dd, as in scenarios.
        yield return Case("date <= \"01/02/2026\"", "a date written with slashes");
        yield return Case("date <= \"Jan 2 2030\"", "a date written in words");
        yield return Case("date <= \"2030-01-02T23:59:59\"", "a date with a time");
        yield return Case("date <= \" 2030-01-02 \"", "a date with spaces");
        yield return Case("date == \"01/02/2026\"", "a loose date compared for equality");
        yield return Case("date in (\"2026-01-01\", \"02/01/2026\")", "a loose date in a list");
        yield return Case("cloud == \"2026-01-02\" and date == \"01/02/2026\"", "a loose date beside a strict string");
        yield return Case("date <= \"2026-02-30\"", "an impossible date");
        yield return Case(new string('(', 3000) + "cloud == \"aws\"" + new string(')', 3000), "deep nesting");
        yield return Case(string.Join(" or ", Enumerable.Repeat("cloud == \"aws\"", 400)), "overlong condition");
    }

    private static TestCaseData Case(string when, string name) => new TestCaseData(when).SetName($"Load_Refuses_{name.Replace(' ', '_')}");

    [TestCaseSource(nameof(Payloads))]
    public void Load_RefusesAndNeverRuns(string when)
    {
        if (System.IO.File.Exists(Marker))
        {
            System.IO.File.Delete(Marker);
        }
        using var rules = new RuleSetCopy();
        rules.Replace(File, Original, "\"when\": " + JsonConvert.ToString(when));

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        var problem = problems[0];
        Assert.Multiple(() =>
        {
            Assert.That(problem.Code, Is.AnyOf("forbidden-expression", "invalid-expression", "unknown-fact"));
            Assert.That(problem.Clause, Is.EqualTo("aws-compute-capacity"));
            Assert.That(problem.Field, Is.EqualTo("when"));
            Assert.That(problem.Location!.File, Does.EndWith("aws-openai-2025-11.json"));
            Assert.That(problem.Location.Line, Is.GreaterThan(0));
        });
        Assert.That(() => Engine.Load(rules.Directory), Throws.TypeOf<Model.RuleSetException>());

        var (exit, _, stderr) = CliRunner.Run("evaluate", "--rules", rules.Directory, "--product", "chatgpt", "--cloud", "aws", "--date", "2026-01-01");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("aws-openai-2025-11.json").And.Contain("aws-compute-capacity"));
        Assert.That(System.IO.File.Exists(Marker), Is.False, "the payload ran");
    }

    // Found by an adversarial run: these were refused in the parser's words, cut off mid-word ("operator '==' incompatible
    // with operand types 'DateOnly' and…", "invalid pattern '\q' at offset 2. Unrecognized escape sequen…") or quoting
    // its rewriting of the condition (`(Compare(segment, "a") < 0)`, `new [] {Convert(True, Nullable`1)}.Contains(…)`).
    [TestCase("date in (\"2026-01-01\", \"2026-01-02\")", "invalid-expression", "`in` takes strings, not dates: compare `date` with one date at a time")]
    [TestCase("date == 20260101 or cloud == \"aws\"", "forbidden-expression", "`20260101` is not allowed")]
    [TestCase("cloud in (\"aws\", 1)", "forbidden-expression", "`1` is not allowed")]
    [TestCase("cloud == null", "forbidden-expression", "`cloud` always has a value: compare it with a string, not null")]
    [TestCase("product.id != null", "forbidden-expression", "this is not allowed: `product.id` always has a value: compare it with a string, not null")]
    [TestCase("date == true", "invalid-expression", "`==` cannot set a date against a true/false value")]
    [TestCase("cloud == \"\\q\"", "invalid-expression", "a string holds the escape `\\q`, which stands for no character")]
    [TestCase("agiDeclared == \"x\"", "invalid-expression", "`x` is not true or false")]
    [TestCase("segment < \"a\"", "forbidden-expression", "only dates can be compared with <, <=, > or >=")]
    [TestCase("microsoftDeclined in (true)", "forbidden-expression", "`in` takes a fact that is a string")]
    [TestCase("date == null", "forbidden-expression", "`date` always has a value (the scenario's date)")]
    [TestCase("agiDeclared != null", "forbidden-expression", "`agiDeclared` always has a value (true or false)")]
    public void Load_ConditionARuleAuthorGotWrong_IsRefusedInTheConditionsOwnWords(string when, string code, string message)
    {
        using var rules = new RuleSetCopy();
        rules.Replace(File, Original, "\"when\": " + JsonConvert.ToString(when));

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        Assert.That(problems[0].Code, Is.EqualTo(code));
        Assert.That(problems[0].Message, Does.Contain(message).And.Not.Contain("…").And.Not.Contain("Compare(").And.Not.Contain("Convert(").And.Not.Contain("new ["));
    }

    [TestCase("cloud in (\"aws\", \"oracle\")")]
    [TestCase("not agiVerified and agiDeclared")]
    [TestCase("date >= \"2026-01-01\" and date < \"2027-01-01\"")]
    [TestCase("microsoftDeclined == true or shippedOnAzureFirst != false")]
    [TestCase("product.offeredBy == \"openai\" && product.interface != \"open-weights\" || segment == \"general\"")]
    [TestCase("!(cloud == \"aws\")")]
    [TestCase("microsoftDeclined == null or statelessCallsOnAzure != true")]
    [TestCase("agiDeclared == true and agiVerified != true")]
    [TestCase("date == \"2026-03-01\" or date >= \"2026-04-01\"")]
    [TestCase("Cloud == \"aws\" and Product.OfferedBy == \"openai\"")]
    [TestCase("product.id in (\"frontier\", \"stateful-runtime\") and cloud != \"azure\"")]
    [TestCase("true")]
    [TestCase("product.id in (\"frontier\", \"\\ud83d\\ude80-agent\")")]
    public void Load_AcceptsPlainConditions(string when)
    {
        using var rules = new RuleSetCopy();
        rules.Replace(File, Original, "\"when\": " + JsonConvert.ToString(when));

        Assert.That(Engine.Validate(RuleFiles.FromDirectory(rules.Directory)), Is.Empty);
    }

    [Test]
    public void Evaluate_RuleFileEdit_ChangesVerdict()
    {
        // Nothing of the catalogue is in C#: widening a forbid in a rule file changes the verdict.
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/aws-openai-2026-02.json", "product.id == \\\"frontier\\\" and cloud in (\\\"google-cloud\\\", \\\"oracle\\\", \\\"other\\\")",
            "product.id == \\\"frontier\\\" and cloud in (\\\"google-cloud\\\", \\\"oracle\\\", \\\"other\\\", \\\"openai\\\")");
        var scenario = new Model.Scenario(Engine.LoadEmbedded().Rules.Catalogue.ProductsById["frontier"], "openai", new DateOnly(2026, 5, 1));

        Assert.That(Engine.LoadEmbedded().Evaluate(scenario).Combined.Permission, Is.EqualTo(Model.Permission.Conditional));
        var edited = Engine.Load(rules.Directory);
        var assessment = edited.Evaluate(scenario with { Product = edited.Rules.Catalogue.ProductsById["frontier"] });
        Assert.That(assessment.Combined.Permission, Is.EqualTo(Model.Permission.Prohibited));
        Assert.That(assessment.Combined.Decisive.Select(d => d.Clause.Id), Is.EqualTo(new[] { "frontier-exclusive-third-party-distribution" }));
    }

    [Test]
    public void Check_AStringComparedByReference_IsRefused()
    {
        // What a trimmed native build would parse `cloud == "aws"` to, had it lost string's == operator (found by
        // reflection): an Equal node with no method, which compares references and would never hold.
        var cloud = ConditionParser.Parameters.Single(p => p.Name == Model.Facts.Cloud);
        var byReference = Expression.ReferenceEqual(cloud, Expression.Constant("aws"));
        var byValue = Expression.Equal(cloud, Expression.Constant("aws"));

        Assert.That(ConditionGuard.Check(byReference, "cloud == \"aws\"", new ConditionLiterals()), Does.Contain("compared by reference"));
        Assert.That(ConditionGuard.Check(byValue, "cloud == \"aws\"", new ConditionLiterals()), Is.Null);
    }

    [TestCase("cloud == null")]
    [TestCase("null != product.id")]
    [TestCase("segment == null or cloud == \"aws\"")]
    public void Parse_AStringFactComparedWithNull_IsRefusedSayingItAlwaysHasAValue(string when)
    {
        var body = ConditionParser.Parse(when, new ConditionLiterals(), out var problem, out var code);

        Assert.That(body, Is.Null);
        Assert.That(code, Is.EqualTo("forbidden-expression"));
        Assert.That(problem, Does.Contain("always has a value").And.Contain("compare it with a string, not null"));
    }

    [Test]
    public void Check_AComparisonCallingAnotherComparisonsOperator_IsRefused()
    {
        // The parser pairs each comparison with its own operator; a tree that pairs == with != would mean the opposite
        // of what it reads as, and is refused whoever built it.
        var cloud = ConditionParser.Parameters.Single(p => p.Name == Model.Facts.Cloud);
        var date = ConditionParser.Parameters.Single(p => p.Name == Model.Facts.Date);
        var inequality = typeof(string).GetMethod("op_Inequality", [typeof(string), typeof(string)]);
        var greater = typeof(DateOnly).GetMethod("op_GreaterThan", [typeof(DateOnly), typeof(DateOnly)]);
        var equalCallingInequality = Expression.Equal(cloud, Expression.Constant("aws"), false, inequality);
        var lessCallingGreater = Expression.LessThan(date, Expression.Constant(new DateOnly(2030, 1, 1)), false, greater);

        Assert.That(ConditionGuard.Check(equalCallingInequality, "cloud == \"aws\"", new ConditionLiterals()), Does.Contain("op_Inequality` may not be called"));
        Assert.That(ConditionGuard.Check(lessCallingGreater, "date < \"2030-01-01\"", new ConditionLiterals()), Does.Contain("op_GreaterThan` may not be called"));
    }
}
