<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Fertility-friendly service desk</source>
        <translation>生育友好服务台</translation>
    </message>
    <message>
        <source>Issues e-vouchers for the free service packages, records their redemption at each service point, and prints slips, certificates and finance reports.</source>
        <translation>为免费服务包发放电子券，在各服务点记录核销，并打印券单、证明和财务报表。</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>Institution:</source>
        <translation>机构：</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>数据库：</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>日志文件：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
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
    <name>ApplicationsScreen</name>
    <message>
        <source>&amp;Import applications file…</source>
        <translation>导入申请文件(&amp;I)…</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Stage data</source>
        <translation>末次月经/儿童出生</translation>
    </message>
    <message>
        <source>&amp;Approve and print slip</source>
        <translation>审核通过并打印券单(&amp;A)</translation>
    </message>
    <message>
        <source>Approve &amp;without printing</source>
        <translation>审核通过，不打印(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <source>%1 applications waiting</source>
        <translation>待审核 %1 条</translation>
    </message>
    <message>
        <source>Import applications</source>
        <translation>导入线上申领</translation>
    </message>
    <message>
        <source>Applications (*.csv *.xlsx *.json)</source>
        <translation>申请文件 (*.csv *.xlsx *.json)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 applications in the file: %2 imported, %3 already imported (unchanged).</source>
        <translation>文件共 %1 条申请：新导入 %2 条，已导入过 %3 条（未改动）。</translation>
    </message>
    <message>
        <source>Importing applications…</source>
        <translation>正在导入申请…</translation>
    </message>
    <message>
        <source>Voucher slip</source>
        <translation>券单</translation>
    </message>
    <message>
        <source>Reject application</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <source>Reason for rejecting:</source>
        <translation>驳回原因：</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>&amp;Show (F5)</source>
        <translation>查询(&amp;S)（F5）</translation>
    </message>
    <message>
        <source>&amp;Verify chain (F9)</source>
        <translation>校验审计链(&amp;V)（F9）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类别(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Newest:</source>
        <translation>最新条数(&amp;N)：</translation>
    </message>
    <message>
        <source>Checking the chain…</source>
        <translation>正在校验审计链…</translation>
    </message>
    <message>
        <source>Checking the audit chain…</source>
        <translation>正在校验审计链…</translation>
    </message>
</context>
<context>
    <name>BackupScreen</name>
    <message>
        <source>&amp;Back up now (Ctrl+B)</source>
        <translation>立即备份(&amp;B)（Ctrl+B）</translation>
    </message>
    <message>
        <source>&amp;Check selected file (Ctrl+K)</source>
        <translation>校验所选文件(&amp;C)（Ctrl+K）</translation>
    </message>
    <message>
        <source>&amp;Restore from backup… (Ctrl+R)</source>
        <translation>从备份恢复(&amp;R)…（Ctrl+R）</translation>
    </message>
    <message>
        <source>Restoring replaces the whole database for every desk: close the program on the other desks first. The current database is kept as a safety copy.</source>
        <translation>恢复会替换所有服务台共用的整个数据库：请先关闭其他服务台上的程序。当前数据库会另存一份安全副本。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Backup folder: %1</source>
        <translation>备份目录：%1</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backing up the database…</source>
        <translation>正在备份数据库…</translation>
    </message>
    <message>
        <source>Backup saved: %1 (%2 audit events).</source>
        <translation>备份已保存：%1（含 %2 条审计事件）。</translation>
    </message>
    <message>
        <source>%1 is a good backup: schema version %2, %3 audit events.</source>
        <translation>%1 备份完好：数据库结构版本 %2，%3 条审计事件。</translation>
    </message>
    <message>
        <source>%1 failed the check: %2</source>
        <translation>%1 校验未通过：%2</translation>
    </message>
    <message>
        <source>Choose a backup to restore</source>
        <translation>选择要恢复的备份</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Replace the whole database with the backup %1 (schema version %2, %3 audit events)?
Everything entered since that backup is replaced. You will be signed out and sign in again.</source>
        <translation>用备份 %1（结构版本 %2，审计事件 %3 条）替换整个数据库吗？
该备份之后录入的所有内容都会被替换。您将被注销，之后需重新登录。</translation>
    </message>
</context>
<context>
    <name>BrowseScreen</name>
    <message>
        <source>Code begins with… (Ctrl+F)</source>
        <translation>券码开头…（Ctrl+F）</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All packages</source>
        <translation>全部服务包</translation>
    </message>
    <message>
        <source>All service points</source>
        <translation>全部服务点</translation>
    </message>
    <message>
        <source>&amp;Issued from</source>
        <translation>发放日期从(&amp;I)</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>券码：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Package:</source>
        <translation>服务包：</translation>
    </message>
    <message>
        <source>Service point:</source>
        <translation>服务点：</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Enter or double-click a row to see the voucher&apos;s history.</source>
        <translation>按 Enter 或双击一行查看该券的历史记录。</translation>
    </message>
    <message>
        <source>&amp;Vouchers</source>
        <translation>电子券(&amp;V)</translation>
    </message>
    <message>
        <source>C&amp;lients</source>
        <translation>服务对象(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Episodes</source>
        <translation>服务周期(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Issuances</source>
        <translation>发券记录(&amp;I)</translation>
    </message>
    <message>
        <source>%1 vouchers</source>
        <translation>共 %1 张券</translation>
    </message>
</context>
<context>
    <name>CalibrationDialog</name>
    <message>
        <source>Certificate printer calibration</source>
        <translation>证件打印机校准</translation>
    </message>
    <message>
        <source>&amp;Printer:</source>
        <translation>打印机(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Horizontal offset (right +):</source>
        <translation>水平偏移（向右为正）(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Vertical offset (down +):</source>
        <translation>垂直偏移（向下为正）(&amp;V)：</translation>
    </message>
    <message>
        <source>Print the test grid, lay it over a blank form and measure how far the blue outline is off; adjust the offsets, print again, then save.</source>
        <translation>打印校准页，与空白证件对齐叠放，量出蓝色框线的偏差；调整偏移后再打印确认，然后保存。</translation>
    </message>
    <message>
        <source>Print &amp;test grid…</source>
        <translation>打印校准页(&amp;T)…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Calibration test grid</source>
        <translation>打印校准页</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>&amp;Load a new version… (Ctrl+O)</source>
        <translation>载入新版本(&amp;L)…（Ctrl+O）</translation>
    </message>
    <message>
        <source>Load catalog</source>
        <translation>载入目录</translation>
    </message>
    <message>
        <source>Catalog files (*.toml)</source>
        <translation>目录文件 (*.toml)</translation>
    </message>
    <message>
        <source>The file was not loaded: fix these problems and try again.</source>
        <translation>文件未载入：请修改以下问题后重试。</translation>
    </message>
    <message>
        <source>Catalog %1 loaded and now active.</source>
        <translation>目录 %1 已载入并生效。</translation>
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
    <name>CertificatesScreen</name>
    <message>
        <source>&amp;Issue</source>
        <translation>签发(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Stock</source>
        <translation>库存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Void and destroy</source>
        <translation>作废与销毁(&amp;V)</translation>
    </message>
    <message>
        <source>Printer calibration…</source>
        <translation>打印机校准…</translation>
    </message>
</context>
<context>
    <name>ChildEpisodeDialog</name>
    <message>
        <source>Child episode</source>
        <translation>儿童服务周期</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>建立</translation>
    </message>
    <message>
        <source>Child:</source>
        <translation>儿童：</translation>
    </message>
    <message>
        <source>the birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>&amp;Birth date:</source>
        <translation>出生日期(&amp;B)：</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
</context>
<context>
    <name>ClientModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date / age</source>
        <translation>出生日期/年龄</translation>
    </message>
    <message>
        <source>Episodes</source>
        <translation>服务周期</translation>
    </message>
    <message>
        <source>Registered at</source>
        <translation>登记时间</translation>
    </message>
</context>
<context>
    <name>ClientsTab</name>
    <message>
        <source>Name, pinyin initials, ID number or phone</source>
        <translation>姓名、拼音首字母、证件号或电话</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性别：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>&amp;Reveal full ID and phone… (Ctrl+R)</source>
        <translation>查看完整证件号和电话(&amp;R)…（Ctrl+R）</translation>
    </message>
    <message>
        <source>%1 clients</source>
        <translation>共 %1 位服务对象</translation>
    </message>
    <message>
        <source>Reveal personal data</source>
        <translation>查看完整个人信息</translation>
    </message>
    <message>
        <source>Reason (recorded in the audit log):</source>
        <translation>原因（将记入审计日志）：</translation>
    </message>
    <message>
        <source>ID number: %1
Phone: %2</source>
        <translation>证件号码：%1
电话：%2</translation>
    </message>
    <message>
        <source>Select a client first.</source>
        <translation>请先选择一位服务对象。</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>year-month-day, e.g. 2026-10-01</source>
        <translation>年-月-日，如 2026-10-01</translation>
    </message>
    <message>
        <source>Calendar…</source>
        <translation>日历…</translation>
    </message>
</context>
<context>
    <name>DeliveryDialog</name>
    <message>
        <source>Record delivery</source>
        <translation>登记分娩</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>EDD</source>
        <translation>预产期</translation>
    </message>
    <message>
        <source>Pregnancy:</source>
        <translation>孕产期：</translation>
    </message>
    <message>
        <source>the delivery date</source>
        <translation>分娩日期</translation>
    </message>
    <message>
        <source>&amp;Delivery date:</source>
        <translation>分娩日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>分娩方式(&amp;M)：</translation>
    </message>
    <message>
        <source>Number of &amp;babies:</source>
        <translation>胎数(&amp;B)：</translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <source>Please sign in again</source>
        <translation>请重新登录</translation>
    </message>
    <message>
        <source>Restoring the database from the backup…</source>
        <translation>正在从备份恢复数据库…</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>The database was restored from %1. Please sign in again.</source>
        <translation>数据库已从 %1 恢复，请重新登录。</translation>
    </message>
</context>
<context>
    <name>EpisodeActions</name>
    <message>
        <source>More episodes… (Ctrl+E)</source>
        <translation>更多服务周期…（Ctrl+E）</translation>
    </message>
    <message>
        <source>Pre-pregnancy episode (couple)…</source>
        <translation>备孕服务周期（夫妻）…</translation>
    </message>
    <message>
        <source>Child episode…</source>
        <translation>儿童服务周期…</translation>
    </message>
    <message>
        <source>Register a newborn…</source>
        <translation>登记新生儿…</translation>
    </message>
    <message>
        <source>Record delivery…</source>
        <translation>登记分娩…</translation>
    </message>
    <message>
        <source>Pre-pregnancy episode opened.</source>
        <translation>已建立备孕服务周期。</translation>
    </message>
    <message>
        <source>Child episode opened.</source>
        <translation>已建立儿童服务周期。</translation>
    </message>
    <message>
        <source>Newborn registered and linked to the mother.</source>
        <translation>已登记新生儿并关联母亲。</translation>
    </message>
    <message>
        <source>No open pregnancy to record a delivery for.</source>
        <translation>没有进行中的孕产期，无法登记分娩。</translation>
    </message>
    <message>
        <source>Delivery recorded. Ctrl+E registers the newborn.</source>
        <translation>已登记分娩。按 Ctrl+E 登记新生儿。</translation>
    </message>
</context>
<context>
    <name>EpisodeDialogs</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>EpisodeModel</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>预产期</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Packages issued</source>
        <translation>已发服务包</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>建立时间</translation>
    </message>
</context>
<context>
    <name>EpisodesTab</name>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Opened from</source>
        <translation>建立日期从</translation>
    </message>
    <message>
        <source>%1 episodes</source>
        <translation>共 %1 个服务周期</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation>创建首位管理员</translation>
    </message>
    <message>
        <source>This database has no staff yet. Create the administrator account: the administrator then adds the other staff and their roles.</source>
        <translation>此数据库尚无任何员工。请先创建管理员账号，之后由管理员添加其他员工并分配角色。</translation>
    </message>
    <message>
        <source>At least 8 characters, with three of: lower case, upper case, digits, symbols.</source>
        <translation>至少 8 个字符，并包含小写字母、大写字母、数字、符号中的至少三类。</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>Create and sign in</source>
        <translation>创建并登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter a username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>FollowUpScreen</name>
    <message>
        <source>Show closed cases</source>
        <translation>显示已结案的个案</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>个案</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Positive result</source>
        <translation>阳性结果</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应追踪日期</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系次数</translation>
    </message>
    <message>
        <source>Diagnostic voucher</source>
        <translation>诊断券</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结局</translation>
    </message>
    <message>
        <source>Record a &amp;contact…</source>
        <translation>登记联系(&amp;C)…</translation>
    </message>
    <message>
        <source>C&amp;lose with outcome…</source>
        <translation>结案(&amp;L)…</translation>
    </message>
    <message>
        <source> (overdue %1 days)</source>
        <translation>（逾期 %1 天）</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已联系上</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未联系上</translation>
    </message>
    <message>
        <source>Record a contact</source>
        <translation>登记联系</translation>
    </message>
    <message>
        <source>How:</source>
        <translation>联系方式：</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>联系结果：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Case %1: contact recorded (%2 so far).</source>
        <translation>个案 %1：已登记联系（共 %2 次）。</translation>
    </message>
    <message>
        <source>Close the case</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>追踪结局：</translation>
    </message>
    <message>
        <source>Case %1 closed: %2.</source>
        <translation>个案 %1 已结案：%2。</translation>
    </message>
</context>
<context>
    <name>FrontDeskScreen</name>
    <message>
        <source>ID number, mobile, name or pinyin initials — Enter to search</source>
        <translation>证件号码、手机号、姓名或拼音首字母，回车查找</translation>
    </message>
    <message>
        <source>Register (Ctrl+N)</source>
        <translation>新登记（Ctrl+N）</translation>
    </message>
    <message>
        <source>New pregnancy episode…</source>
        <translation>建立孕期服务周期…</translation>
    </message>
    <message>
        <source>Episode:</source>
        <translation>服务周期：</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Reason / rule</source>
        <translation>原因 / 规则</translation>
    </message>
    <message>
        <source>Issue and print (Enter)</source>
        <translation>发券并打印（回车）</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Slip</source>
        <translation>券单号</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Vouchers</source>
        <translation>电子券</translation>
    </message>
    <message>
        <source>Re-print (Ctrl+P)</source>
        <translation>补打券单（Ctrl+P）</translation>
    </message>
    <message>
        <source>Void a voucher (Ctrl+D)</source>
        <translation>作废电子券（Ctrl+D）</translation>
    </message>
    <message>
        <source>Nobody found. Ctrl+N registers a new client.</source>
        <translation>未找到服务对象。按 Ctrl+N 新登记。</translation>
    </message>
    <message>
        <source>%1 clients found: choose one with the arrow keys and Enter.</source>
        <translation>找到 %1 位服务对象：用方向键选择，按回车打开。</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1 岁</translation>
    </message>
    <message>
        <source>No episode yet: open a pregnancy episode to issue packages.</source>
        <translation>尚无服务周期：请先建立孕期服务周期再发券。</translation>
    </message>
    <message>
        <source>Not eligible</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source> (not printed)</source>
        <translation>（未打印）</translation>
    </message>
    <message>
        <source>Enter issues the selected package and prints its slip.</source>
        <translation>按回车发放所选服务包并打印券单。</translation>
    </message>
    <message>
        <source>Issued %1: slip %2, %3 vouchers worth %4.</source>
        <translation>已发放%1：券单 %2，共 %3 张券，价值 %4。</translation>
    </message>
    <message>
        <source>Voucher slip</source>
        <translation>电子券券单</translation>
    </message>
    <message>
        <source>Printing was cancelled.</source>
        <translation>已取消打印。</translation>
    </message>
    <message>
        <source>The slip was NOT printed. %1 Ctrl+P prints it (no reason needed).</source>
        <translation>券单未打印。%1 按 Ctrl+P 打印（无需填写补打原因）。</translation>
    </message>
    <message>
        <source>Re-print slip</source>
        <translation>补打券单</translation>
    </message>
    <message>
        <source>Reason for the re-print:</source>
        <translation>补打原因：</translation>
    </message>
    <message>
        <source>This slip has no unused voucher left.</source>
        <translation>该券单已没有未使用的券。</translation>
    </message>
    <message>
        <source>Void a voucher</source>
        <translation>作废电子券</translation>
    </message>
    <message>
        <source>Voucher:</source>
        <translation>电子券：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Voided %1.</source>
        <translation>已作废：%1。</translation>
    </message>
</context>
<context>
    <name>IssuanceModel</name>
    <message>
        <source>Slip no.</source>
        <translation>券单号</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Vouchers</source>
        <translation>券数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>发券人</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>Issued at</source>
        <translation>发券时间</translation>
    </message>
</context>
<context>
    <name>IssuancesTab</name>
    <message>
        <source>Slip number contains…</source>
        <translation>券单号包含…</translation>
    </message>
    <message>
        <source>Package:</source>
        <translation>服务包：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Issued from</source>
        <translation>发券日期从</translation>
    </message>
    <message>
        <source>%1 issuances</source>
        <translation>共 %1 次发券</translation>
    </message>
</context>
<context>
    <name>IssueTab</name>
    <message>
        <source>Child&apos;s or mother&apos;s ID number, mobile or name — Enter</source>
        <translation>儿童或母亲的证件号码、手机号或姓名 — 回车</translation>
    </message>
    <message>
        <source>Newborn</source>
        <translation>新生儿</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性别：</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Birth time:</source>
        <translation>出生时间：</translation>
    </message>
    <message>
        <source>year-month-day hour:minute</source>
        <translation>年-月-日 时:分</translation>
    </message>
    <message>
        <source>Gestational weeks:</source>
        <translation>出生孕周：</translation>
    </message>
    <message>
        <source>Weight (g):</source>
        <translation>体重（克）：</translation>
    </message>
    <message>
        <source>Length (cm):</source>
        <translation>身长（厘米）：</translation>
    </message>
    <message>
        <source>Health:</source>
        <translation>健康状况：</translation>
    </message>
    <message>
        <source>Province:</source>
        <translation>出生地点（省）：</translation>
    </message>
    <message>
        <source>name only, e.g. Hunan</source>
        <translation>只填名称，如 湖南（表上已印“省”）</translation>
    </message>
    <message>
        <source>City:</source>
        <translation>出生地点（市）：</translation>
    </message>
    <message>
        <source>name only, e.g. Changsha</source>
        <translation>只填名称，如 长沙（表上已印“市”）</translation>
    </message>
    <message>
        <source>County / district:</source>
        <translation>出生地点（县/区）：</translation>
    </message>
    <message>
        <source>name only, e.g. Tianxin</source>
        <translation>只填名称，如 天心（表上已印“县（区）”）</translation>
    </message>
    <message>
        <source>Mother</source>
        <translation>母亲</translation>
    </message>
    <message>
        <source>Father (optional)</source>
        <translation>父亲（可不填）</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>年龄：</translation>
    </message>
    <message>
        <source>Nationality:</source>
        <translation>国籍：</translation>
    </message>
    <message>
        <source>Ethnicity:</source>
        <translation>民族：</translation>
    </message>
    <message>
        <source>ID type:</source>
        <translation>证件类型：</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>证件号码：</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>签发</translation>
    </message>
    <message>
        <source>Delivering institution:</source>
        <translation>接生机构：</translation>
    </message>
    <message>
        <source>Issue date:</source>
        <translation>签发日期：</translation>
    </message>
    <message>
        <source>year-month-day</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>签发类型：</translation>
    </message>
    <message>
        <source>Reason (re-issue / replacement):</source>
        <translation>原因（补发/换发）：</translation>
    </message>
    <message>
        <source>Next form:</source>
        <translation>下一张证件：</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>签发日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Preview (Ctrl+R)</source>
        <translation>预览（Ctrl+R）</translation>
    </message>
    <message>
        <source>Issue and print (Ctrl+Enter)</source>
        <translation>签发并打印（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>no certificate yet</source>
        <translation>尚未签发</translation>
    </message>
    <message>
        <source>No child episode found: open one at the front desk first.</source>
        <translation>未找到儿童服务周期：请先在前台建立。</translation>
    </message>
    <message>
        <source>none at this desk (%1): ask for forms to be assigned</source>
        <translation>本台（%1）没有空白证件：请库管分配号段</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Certificate preview</source>
        <translation>出生医学证明预览</translation>
    </message>
    <message>
        <source>%1 issued on form %2: put that blank form into the printer.</source>
        <translation>已%1，证件编号 %2：请将该编号的空白证件放入打印机。</translation>
    </message>
    <message>
        <source>Birth medical certificate %1</source>
        <translation>出生医学证明 %1</translation>
    </message>
</context>
<context>
    <name>LeaveProofScreen</name>
    <message>
        <source>Mother&apos;s ID number, mobile or name — Enter</source>
        <translation>母亲的证件号码、手机号或姓名 — 回车</translation>
    </message>
    <message>
        <source>No mother chosen</source>
        <translation>尚未选择母亲</translation>
    </message>
    <message>
        <source>the date of delivery or miscarriage</source>
        <translation>分娩（流产）日期</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>First child</source>
        <translation>生育第一个子女</translation>
    </message>
    <message>
        <source>Holds a one-child certificate</source>
        <translation>已领取《独生子女优待证》</translation>
    </message>
    <message>
        <source>yuan, e.g. 6000.00</source>
        <translation>元，如 6000.00</translation>
    </message>
    <message>
        <source>yuan, e.g. 7500.00</source>
        <translation>元，如 7500.00</translation>
    </message>
    <message>
        <source>Also the male spouse&apos;s leave</source>
        <translation>同时计算男配偶假期</translation>
    </message>
    <message>
        <source>empty: same as the employer&apos;s</source>
        <translation>留空：同单位平均工资</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>&amp;Rule set:</source>
        <translation>适用规则(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Employer:</source>
        <translation>工作单位(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类别(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Date of delivery / miscarriage:</source>
        <translation>分娩/流产日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Mode of delivery:</source>
        <translation>分娩方式(&amp;M)：</translation>
    </message>
    <message>
        <source>Perineal &amp;tear:</source>
        <translation>会阴裂伤(&amp;T)：</translation>
    </message>
    <message>
        <source>Number of &amp;babies:</source>
        <translation>婴儿数(&amp;B)：</translation>
    </message>
    <message>
        <source>Completed months of &amp;pregnancy:</source>
        <translation>怀孕满几个月(&amp;P)：</translation>
    </message>
    <message>
        <source>Mother&apos;s &amp;age at delivery:</source>
        <translation>分娩时年龄(&amp;A)：</translation>
    </message>
    <message>
        <source>Employer&apos;s average monthly &amp;wage:</source>
        <translation>单位上年度职工月平均工资(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;City&apos;s average monthly wage:</source>
        <translation>上年度市职工月平均工资(&amp;C)：</translation>
    </message>
    <message>
        <source>Spouse&apos;s employer wage:</source>
        <translation>男配偶单位人平缴费工资：</translation>
    </message>
    <message>
        <source>Issue and print proof (Ctrl+P)</source>
        <translation>出具并打印证明（Ctrl+P）</translation>
    </message>
    <message>
        <source>Leave and allowance</source>
        <translation>产假与生育津贴</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1 岁</translation>
    </message>
    <message>
        <source>Employer&apos;s wage</source>
        <translation>单位月平均工资</translation>
    </message>
    <message>
        <source>City&apos;s wage</source>
        <translation>市职工月平均工资</translation>
    </message>
    <message>
        <source>Spouse&apos;s wage</source>
        <translation>男配偶工资</translation>
    </message>
    <message>
        <source>%1 days: %2 to %3</source>
        <translation>%1 天：%2 至 %3</translation>
    </message>
    <message>
        <source>Find the mother first: the proof is issued to a registered client.</source>
        <translation>请先查找母亲：证明只能出具给已登记的服务对象。</translation>
    </message>
    <message>
        <source>Proof %1 issued.</source>
        <translation>已出具证明 %1。</translation>
    </message>
    <message>
        <source>Leave proof %1</source>
        <translation>生育（产假）证明 %1</translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>%1 rows</source>
        <translation>共 %1 行</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Fertility-friendly service desk</source>
        <translation>生育友好服务台</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Your password was set by an administrator. Choose a new one.</source>
        <translation>您的密码由管理员设置，请先设置新密码。</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>This desk has no service point yet. Where do you redeem vouchers today?</source>
        <translation>这台电脑还没有设置服务点。请选择您今天核销的服务点：</translation>
    </message>
    <message>
        <source>&amp;Service point:</source>
        <translation>服务点(&amp;S)：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Choose a service point.</source>
        <translation>请选择服务点。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Front desk</source>
        <translation>发券</translation>
    </message>
    <message>
        <source>Online applications</source>
        <translation>线上申领</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>阳性追踪</translation>
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
        <source>Birth certificates</source>
        <translation>出生医学证明</translation>
    </message>
    <message>
        <source>Leave proof</source>
        <translation>生育（产假）证明</translation>
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
        <source>Backup</source>
        <translation>备份</translation>
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
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>MonthCloseWidget</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>月结时间</translation>
    </message>
    <message>
        <source>Closed by</source>
        <translation>月结人</translation>
    </message>
    <message>
        <source>Redeemed net</source>
        <translation>核销净额</translation>
    </message>
    <message>
        <source>&amp;Close this month…</source>
        <translation>月结此月(&amp;C)…</translation>
    </message>
    <message>
        <source>A closed month&apos;s figures are frozen: later reversals post to the open month, and its reports print the same at any later time.</source>
        <translation>月结后该月数据冻结：之后的冲正记入未结账的月份，该月报表任何时候重新打印都完全相同。</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已月结</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未月结</translation>
    </message>
    <message>
        <source>Close month</source>
        <translation>月结</translation>
    </message>
    <message>
        <source>Close %1? Its figures will be frozen and cannot be changed afterwards.</source>
        <translation>确定月结 %1 吗？月结后该月数据冻结，不能再更改。</translation>
    </message>
    <message>
        <source>Closing the month…</source>
        <translation>正在月结…</translation>
    </message>
</context>
<context>
    <name>NewbornDialog</name>
    <message>
        <source>Register a newborn</source>
        <translation>登记新生儿</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Mother:</source>
        <translation>母亲：</translation>
    </message>
    <message>
        <source>Until the baby is named: the mother&apos;s surname + baby</source>
        <translation>未取名时可填：母亲姓氏＋宝宝</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>&amp;Sex:</source>
        <translation>性别(&amp;S)：</translation>
    </message>
    <message>
        <source>the birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>&amp;Birth date:</source>
        <translation>出生日期(&amp;B)：</translation>
    </message>
    <message>
        <source>Open the child episode now</source>
        <translation>同时建立儿童服务周期</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>%1 page(s), printer: %2</source>
        <translation>共 %1 页，打印机：%2</translation>
    </message>
    <message>
        <source>system default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Saved as %1 (not counted as printed).</source>
        <translation>已另存为 %1（不计为已打印）。</translation>
    </message>
</context>
<context>
    <name>PregnancyDialog</name>
    <message>
        <source>New pregnancy episode</source>
        <translation>建立孕期服务周期</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>建立</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>服务对象：</translation>
    </message>
    <message>
        <source>the last menstrual period</source>
        <translation>末次月经日期</translation>
    </message>
    <message>
        <source>&amp;Last menstrual period:</source>
        <translation>末次月经(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>PrepregnancyDialog</name>
    <message>
        <source>Pre-pregnancy episode (couple)</source>
        <translation>备孕服务周期（夫妻）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>建立</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>服务对象：</translation>
    </message>
    <message>
        <source>Partner&apos;s ID number, mobile or name — Enter to search</source>
        <translation>配偶的证件号码、手机号或姓名 — 回车查找</translation>
    </message>
    <message>
        <source>Register partner…</source>
        <translation>登记配偶…</translation>
    </message>
    <message>
        <source>&amp;Partner:</source>
        <translation>配偶(&amp;P)：</translation>
    </message>
    <message>
        <source>No partner chosen: the episode is opened for the client alone.</source>
        <translation>未选择配偶：仅为本人建立服务周期。</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>Nobody found: register the partner first.</source>
        <translation>未找到：请先登记配偶。</translation>
    </message>
    <message>
        <source>Partner: %1</source>
        <translation>配偶：%1</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Printing was cancelled: nothing was sent to the printer %1.</source>
        <translation>已取消打印：未向打印机%1发送任何内容，券单未打印。</translation>
    </message>
    <message>
        <source>Printer %1 was not found: nothing was printed.</source>
        <translation>找不到打印机%1：未打印。请检查打印机设置或连接。</translation>
    </message>
    <message>
        <source>Printer %1 is offline or switched off: nothing was printed.</source>
        <translation>打印机%1脱机或未开机：未打印。</translation>
    </message>
    <message>
        <source>Printer %1 is out of paper: load paper, then print again.</source>
        <translation>打印机%1缺纸：未打印。请装纸后重新打印。</translation>
    </message>
    <message>
        <source>Printer %1 did not accept the job: nothing was printed.</source>
        <translation>打印机%1没有接受打印任务：未打印。</translation>
    </message>
    <message>
        <source>(no printer)</source>
        <translation>（未设置打印机）</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>RedeemScreen</name>
    <message>
        <source>Scan or type the voucher code, then press Enter</source>
        <translation>扫描或输入券码，按回车</translation>
    </message>
    <message>
        <source>Voucher</source>
        <translation>电子券</translation>
    </message>
    <message>
        <source>Service item:</source>
        <translation>服务项目：</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>服务对象：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Negative (F5)</source>
        <translation>阴性（F5）</translation>
    </message>
    <message>
        <source>Positive (F6)</source>
        <translation>阳性（F6）</translation>
    </message>
    <message>
        <source>Screening result:</source>
        <translation>筛查结果：</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>券码</translation>
    </message>
    <message>
        <source>Service item</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Reverse selected (F8)</source>
        <translation>冲正所选（F8）</translation>
    </message>
    <message>
        <source>Today at this service point</source>
        <translation>本服务点今日核销</translation>
    </message>
    <message>
        <source>Print receipt (F9)</source>
        <translation>打印核销回单（F9）</translation>
    </message>
    <message>
        <source>This desk has no service point: choose one in Settings.</source>
        <translation>本工作站未设置服务点：请在“设置”中选择。</translation>
    </message>
    <message>
        <source>Service point: %1</source>
        <translation>服务点：%1</translation>
    </message>
    <message>
        <source>Ready: scan a voucher</source>
        <translation>就绪：请扫描电子券</translation>
    </message>
    <message>
        <source>This item is redeemed at %1, not here.</source>
        <translation>该项目应在%1核销，不在本服务点。</translation>
    </message>
    <message>
        <source>Enter the screening result (F5/F6), then press Enter</source>
        <translation>请录入筛查结果（F5 阴性 / F6 阳性），再按回车</translation>
    </message>
    <message>
        <source>Check the person, then press Enter to redeem</source>
        <translation>请核对本人身份，按回车确认核销</translation>
    </message>
    <message>
        <source>Choose the screening result first: F5 negative, F6 positive</source>
        <translation>请先选择筛查结果：F5 阴性，F6 阳性</translation>
    </message>
    <message>
        <source>Select a redemption in today&apos;s list first</source>
        <translation>请先在今日列表中选择一条核销记录</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Redemption receipt</source>
        <translation>核销回单</translation>
    </message>
    <message>
        <source>The receipt was NOT printed. %1</source>
        <translation>核销回单未打印。%1</translation>
    </message>
    <message>
        <source>Reverse redemption</source>
        <translation>冲正核销</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <source>Register a client</source>
        <translation>登记服务对象</translation>
    </message>
    <message>
        <source>ID &amp;type:</source>
        <translation>证件类型(&amp;T)：</translation>
    </message>
    <message>
        <source>ID &amp;number:</source>
        <translation>证件号码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Mobile:</source>
        <translation>手机号(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Residency:</source>
        <translation>户籍(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>住址(&amp;D)：</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ReportsScreen</name>
    <message>
        <source>Reconciliation</source>
        <translation>对账报表</translation>
    </message>
    <message>
        <source>Monthly settlement statement</source>
        <translation>月度结算单</translation>
    </message>
    <message>
        <source>Daily close per operator</source>
        <translation>每日操作员日结</translation>
    </message>
    <message>
        <source>Statistics (charts)</source>
        <translation>统计图表</translation>
    </message>
    <message>
        <source>One day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>One month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>自定义期间</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Report:</source>
        <translation>报表(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>期间(&amp;P)：</translation>
    </message>
    <message>
        <source>Covers:</source>
        <translation>统计范围：</translation>
    </message>
    <message>
        <source>Preview and print (Ctrl+P)</source>
        <translation>预览并打印（Ctrl+P）</translation>
    </message>
    <message>
        <source>Export CSV (Ctrl+E)</source>
        <translation>导出 CSV（Ctrl+E）</translation>
    </message>
    <message>
        <source>Export XLSX (Ctrl+Shift+E)</source>
        <translation>导出 Excel（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Month close</source>
        <translation>月结</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报表…</translation>
    </message>
    <message>
        <source>Report ready: %1 bytes</source>
        <translation>报表已生成：%1 字节</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Empty: the embedded database in the data folder</source>
        <translation>留空：使用数据文件夹中的内置数据库</translation>
    </message>
    <message>
        <source>(none: front desk or office)</source>
        <translation>（无：发券窗口或办公室）</translation>
    </message>
    <message>
        <source>(system default)</source>
        <translation>（系统默认）</translation>
    </message>
    <message>
        <source>80 mm receipt roll</source>
        <translation>80 毫米小票纸</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>This desk</source>
        <translation>本工作站</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>Service &amp;point:</source>
        <translation>服务点(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Slip printer:</source>
        <translation>券单打印机(&amp;S)：</translation>
    </message>
    <message>
        <source>Slip pape&amp;r:</source>
        <translation>券单纸张(&amp;R)：</translation>
    </message>
    <message>
        <source>Rece&amp;ipt printer (80 mm):</source>
        <translation>小票打印机（80 毫米）(&amp;I)：</translation>
    </message>
    <message>
        <source>Rep&amp;ort printer (A4):</source>
        <translation>报表打印机（A4）(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Certificate printer:</source>
        <translation>证件打印机(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Lock after idle:</source>
        <translation>空闲锁屏(&amp;L)：</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>语言(&amp;G)：</translation>
    </message>
    <message>
        <source>Hospital</source>
        <translation>本院</translation>
    </message>
    <message>
        <source>&amp;Institution name:</source>
        <translation>机构名称(&amp;I)：</translation>
    </message>
    <message>
        <source>A new database or language takes effect after the program restarts.</source>
        <translation>更改数据库或语言后，需重新启动程序才能生效。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The database address must start with sqlite:/// or postgresql://</source>
        <translation>数据库地址必须以 sqlite:/// 或 postgresql:// 开头</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>Change roles</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <source>Add staff member</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>&amp;Add… (Ctrl+N)</source>
        <translation>新增(&amp;A)…（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Roles… (Ctrl+R)</source>
        <translation>角色(&amp;R)…（Ctrl+R）</translation>
    </message>
    <message>
        <source>&amp;Disable (Ctrl+D)</source>
        <translation>停用(&amp;D)（Ctrl+D）</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>Reset &amp;password (Ctrl+Shift+P)</source>
        <translation>重置密码(&amp;P)（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>须改密码</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Temporary password for %1: %2
They must change it at their first sign-in.</source>
        <translation>%1 的临时密码：%2
首次登录时须修改密码。</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Disable %1? They can no longer sign in; their records stay.</source>
        <translation>确定停用 %1 吗？停用后不能登录，其经办记录保留。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Give %1 a new temporary password?</source>
        <translation>为 %1 生成新的临时密码吗？</translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation>%1 已可以重新登录。</translation>
    </message>
</context>
<context>
    <name>StatisticsChart</name>
    <message>
        <source>Vouchers per month</source>
        <translation>每月发券与核销（张）</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>已核销</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Redemption rate per package</source>
        <translation>各服务包核销率</translation>
    </message>
</context>
<context>
    <name>StatisticsTab</name>
    <message>
        <source>&amp;Show (F5)</source>
        <translation>显示(&amp;S)（F5）</translation>
    </message>
    <message>
        <source>From month:</source>
        <translation>起始月份：</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Counting vouchers…</source>
        <translation>正在统计电子券…</translation>
    </message>
    <message>
        <source>%1: %2 vouchers issued, %3 redeemed.</source>
        <translation>%1：发放 %2 张，核销 %3 张。</translation>
    </message>
</context>
<context>
    <name>StockTab</name>
    <message>
        <source>Receive blank forms</source>
        <translation>空白证件入库</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Prefix letters:</source>
        <translation>前缀字母：</translation>
    </message>
    <message>
        <source>First number:</source>
        <translation>起始号：</translation>
    </message>
    <message>
        <source>Last number:</source>
        <translation>终止号：</translation>
    </message>
    <message>
        <source>Received on:</source>
        <translation>入库日期：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Hand forms to a desk</source>
        <translation>分配给服务台</translation>
    </message>
    <message>
        <source>empty: back to the store room</source>
        <translation>留空：退回库房</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>First serial:</source>
        <translation>起始编号：</translation>
    </message>
    <message>
        <source>Last serial:</source>
        <translation>终止编号：</translation>
    </message>
    <message>
        <source>Desk:</source>
        <translation>服务台：</translation>
    </message>
    <message>
        <source>Stock report</source>
        <translation>库存报表</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Opening</source>
        <translation>期初</translation>
    </message>
    <message>
        <source>In period</source>
        <translation>本期发生</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>期末</translation>
    </message>
    <message>
        <source>Serials</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>First and last number must be digits.</source>
        <translation>起始号和终止号须为数字。</translation>
    </message>
    <message>
        <source>Received %1–%2: %3 forms.</source>
        <translation>已入库 %1–%2，共 %3 份。</translation>
    </message>
    <message>
        <source>store room</source>
        <translation>库房</translation>
    </message>
    <message>
        <source>%1 forms handed to %2.</source>
        <translation>已将 %1 份分配给 %2。</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Balanced: received %1 = %2</source>
        <translation>账实平衡：入库 %1 = %2</translation>
    </message>
    <message>
        <source>NOT balanced: received %1 ≠ %2</source>
        <translation>账实不平衡：入库 %1 ≠ %2</translation>
    </message>
    <message>
        <source>On hand now: %1</source>
        <translation>当前库存：%1</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <source>The desk was locked. %1, enter your password to continue.</source>
        <translation>服务台已锁定。%1，请输入密码继续。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>VoidTab</name>
    <message>
        <source>Void a form</source>
        <translation>作废证件</translation>
    </message>
    <message>
        <source>e.g. misaligned print, smudged</source>
        <translation>如：打印错位、污损</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Serial:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Approving supervisor:</source>
        <translation>批准人（主管）：</translation>
    </message>
    <message>
        <source>Supervisor&apos;s password:</source>
        <translation>批准人密码：</translation>
    </message>
    <message>
        <source>Destroy a voided form</source>
        <translation>销毁已作废证件</translation>
    </message>
    <message>
        <source>Mark destroyed</source>
        <translation>登记销毁</translation>
    </message>
    <message>
        <source>Destroyed on:</source>
        <translation>销毁日期：</translation>
    </message>
    <message>
        <source>Witness:</source>
        <translation>监销人：</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>Destroyed</source>
        <translation>销毁</translation>
    </message>
    <message>
        <source>Void register</source>
        <translation>作废登记簿</translation>
    </message>
    <message>
        <source>Form %1 voided (approved by %2).</source>
        <translation>证件 %1 已作废（批准人：%2）。</translation>
    </message>
    <message>
        <source>Form %1 marked destroyed.</source>
        <translation>证件 %1 已登记销毁。</translation>
    </message>
</context>
<context>
    <name>VoucherHistoryDialog</name>
    <message>
        <source>Voucher %1</source>
        <translation>电子券 %1</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>券码：</translation>
    </message>
    <message>
        <source>Service item:</source>
        <translation>服务项目：</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>价值：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>服务对象：</translation>
    </message>
    <message>
        <source>Service point:</source>
        <translation>服务点：</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <source>Slip:</source>
        <translation>券单号：</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
</context>
<context>
    <name>VoucherModel</name>
    <message>
        <source>Code</source>
        <translation>券码</translation>
    </message>
    <message>
        <source>Service item</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>价值</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Service point</source>
        <translation>服务点</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Issued at</source>
        <translation>发放时间</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
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
