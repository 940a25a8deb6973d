// The acceptance app of issue 15: an ARM web service (6 tasks of 2 vCPU / 4 GB, 40 GiB storage)
// on FARGATE base 1 weight 1 + FARGATE_SPOT weight 4 with CPU target tracking between 3 and 20
// tasks, a Windows service and an all-Spot worker. No account in the stack's env, so
// `cdk synth` runs offline. tests/cdk/shop.toml is the hand-written equivalent plan.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Shop');
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
});
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, enableFargateCapacityProviders: true });

const webTask = new ecs.FargateTaskDefinition(stack, 'WebTask', {
  cpu: 2048,
  memoryLimitMiB: 4096,
  ephemeralStorageGiB: 40,
  runtimePlatform: {
    cpuArchitecture: ecs.CpuArchitecture.ARM64,
    operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
  },
});
webTask.addContainer('web', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
  portMappings: [{ containerPort: 8080 }],
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
  healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] },
});
const web = new ecs.FargateService(stack, 'Web', {
  cluster,
  taskDefinition: webTask,
  serviceName: 'web',
  desiredCount: 6,
  assignPublicIp: true,
  minHealthyPercent: 100,
  capacityProviderStrategies: [
    { capacityProvider: 'FARGATE', base: 1, weight: 1 },
    { capacityProvider: 'FARGATE_SPOT', weight: 4 },
  ],
});
web.autoScaleTaskCount({ minCapacity: 3, maxCapacity: 20 })
  .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

const winTask = new ecs.FargateTaskDefinition(stack, 'LegacyTask', {
  cpu: 1024,
  memoryLimitMiB: 2048,
  runtimePlatform: {
    cpuArchitecture: ecs.CpuArchitecture.X86_64,
    operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE,
  },
});
winTask.addContainer('iis', {
  image: ecs.ContainerImage.fromRegistry('mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022'),
  portMappings: [{ containerPort: 80 }],
});
new ecs.FargateService(stack, 'Legacy', {
  cluster,
  taskDefinition: winTask,
  serviceName: 'legacy',
  desiredCount: 2,
  assignPublicIp: true,
  minHealthyPercent: 100,
});

const workerTask = new ecs.FargateTaskDefinition(stack, 'WorkerTask', { cpu: 512, memoryLimitMiB: 1024 });
workerTask.addContainer('worker', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.36'),
  command: ['sleep', 'infinity'],
});
new ecs.FargateService(stack, 'Worker', {
  cluster,
  taskDefinition: workerTask,
  serviceName: 'worker',
  desiredCount: 3,
  assignPublicIp: true,
  minHealthyPercent: 100,
  capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
});

app.synth();
