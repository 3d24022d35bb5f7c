<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Fertility-friendly service desk</source>
        <translation>生育友好服务台</translation>
    </message>
    <message>
        <source>The program could not start. Details are in the log file:</source>
        <translation>程序无法启动。详细信息已写入日志文件：</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <source>Preparing demo data on first start…</source>
        <translation>首次启动，正在准备演示数据…</translation>
    </message>
</context>
<context>
    <name>CatalogView</name>
    <message>
        <source>Package / service item</source>
        <translation>服务包 / 服务项目</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Service point</source>
        <translation>服务点</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No catalog has been loaded yet.</source>
        <translation>尚未载入服务包目录。</translation>
    </message>
    <message>
        <source>Catalog %1 (effective from %2): %3 packages</source>
        <translation>服务包目录 %1（%2 起生效）：共 %3 个服务包</translation>
    </message>
    <message>
        <source>Basic (free)</source>
        <translation>基础（免费）</translation>
    </message>
    <message>
        <source>Upgrade (paid)</source>
        <translation>升级（自费）</translation>
    </message>
    <message>
        <source>Basic value %1</source>
        <translation>基础服务价值 %1</translation>
    </message>
    <message>
        <source>, cap %1</source>
        <translation>，上限 %1</translation>
    </message>
    <message>
        <source>example price</source>
        <translation>示例价格</translation>
    </message>
    <message>
        <source>follow-up of %1</source>
        <translation>%1 阳性后的后续项目</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Front desk</source>
        <translation>发券</translation>
    </message>
    <message>
        <source>Redeem</source>
        <translation>核销</translation>
    </message>
    <message>
        <source>Browse</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>服务包目录</translation>
    </message>
    <message>
        <source>Fertility-friendly service desk</source>
        <translation>生育友好服务台</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>服务台(&amp;D)</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Staff: %1 (%2)</source>
        <translation>员工：%1（%2）</translation>
    </message>
    <message>
        <source>Workstation: %1</source>
        <translation>工作站：%1</translation>
    </message>
    <message>
        <source>Service point: %1</source>
        <translation>服务点：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>An unexpected error occurred. The details were written to the log file:</source>
        <translation>发生意外错误，详细信息已写入日志文件：</translation>
    </message>
    <message>
        <source>(no log file)</source>
        <translation>（没有日志文件）</translation>
    </message>
    <message>
        <source>Cannot do that</source>
        <translation>无法完成操作</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>