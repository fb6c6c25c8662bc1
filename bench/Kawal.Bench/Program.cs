using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kawal.Bench;

// dotnet run -c Release --project bench/Kawal.Bench -- [startup | BenchmarkDotNet arguments, e.g. --filter *]
if (args.Length > 0 && args[0] == "import")
{
    return await ImportBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "billing")
{
    return await BillingBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "dashboard")
{
    return await DashboardBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "startup")
{
    return await StartupBenchmark.RunAsync(args.Skip(1).ToArray());
}

// BenchmarkDotNet 0.14 (the version served here) predates net10.0 monikers: run in-process.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(StartupBenchmark).Assembly).Run(args, config);
return 0;
