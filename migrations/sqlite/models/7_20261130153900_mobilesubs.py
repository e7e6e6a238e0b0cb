from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "subscription" ADD "discount_percent_off" REAL;
        ALTER TABLE "subscription" ADD "discount_amount_off" BIGINT;
        ALTER TABLE "subscription" ADD "idempotency_key" VARCHAR(255);
        ALTER TABLE "subscription" ADD "discount_ends_at" TIMESTAMP;
        ALTER TABLE "subscription" ADD "discount_currency" VARCHAR(3);
        ALTER TABLE "subscription" ADD "discount_code" VARCHAR(500);
        ALTER TABLE "subscription" ADD "request_digest" VARCHAR(64);
        CREATE UNIQUE INDEX "uid_subscriptio_user_id_c72511" ON "subscription" ("user_id", "idempotency_key");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "uid_subscriptio_user_id_c72511";
        ALTER TABLE "subscription" DROP COLUMN "discount_percent_off";
        ALTER TABLE "subscription" DROP COLUMN "discount_amount_off";
        ALTER TABLE "subscription" DROP COLUMN "idempotency_key";
        ALTER TABLE "subscription" DROP COLUMN "discount_ends_at";
        ALTER TABLE "subscription" DROP COLUMN "discount_currency";
        ALTER TABLE "subscription" DROP COLUMN "discount_code";
        ALTER TABLE "subscription" DROP COLUMN "request_digest";"""


MODELS_STATE = (
    "eJztXW134jiy/is6+TLJuZmc7vTrZnbvOSRxz7CThlwg3bM7zDGKLYJPjExbdmjObv/3Wy"
    "Xb4FdiEyCG6EvPRFbJ5ilZqnqqVP7PwdgxmS1Orm3KD87Ifw44HTP4n0T7MTmgk8miFRs8"
    "emvLjpOox63wXGp40DaktmDQZDJhuNbEsxwc+6BBBLNtlCModEIGg3s2GwyIJYg3YkTIMY"
    "lBPWo7d8QyyeHQZTDQxGVjyx8fk5OTk6Nf8GamY8DdLH63xnH7fDDAQSdMf2CugIeGIfAn"
    "3QtieYJ05TVy7Tqmb3gn+Bg+t775TPecOwY3cuFh/vwLmi1usu9MRH9O7vWhxWwzgS88IY"
    "4gL+jebCIbL0bU/SS74m+81Q3H9sc81n0y80YOn/eHx8XWO8aZSz1mxrDnfgBJrCl4Wmjw"
    "XJ/NH9NcNJhsSH0bNYjSwSMs2g50vdXu6V2tp+sHGe1GEjHFhE2Gw3FmWNwTEoEx/a7bjN"
    "95I/jz/dsfwX0WQAS98IZfGp2L3xqdw/dvj/CGDugimHOt8MqpvPRDDgHaDQaRuC+ANlyG"
    "0OjUy+J9CVc8a8zyMU9KpqA3Q9GT6H9WUUTUsNDE4tXZhirgB5ptbs/CKbBEFb3mZ63ba3"
    "y+xtuNhfhmS/waPQ2vnMrWWar18H1KbfNByNdm7zeCf5J/t1uahNcR3p0r77jo1/v3AT4T"
    "9T1H585Up2ZstkatEWrQc6F1f2KuqPWkpNJ6XbQeYRRTe/j0C60nl++s5s+tuyb38vWelU"
    "3pHvAroe1wctZG2Xf4ED//7fT0zZsPp6/evP/47u2HD+8+vvoIfeUDZy99WDIjzpu/Nlu9"
    "pIKx4UdCD/K/FXa3qP96trfnhjyxwZ2+elVih4NehVucvJbEN/5kGZh77HvBFE+JrYR2ze"
    "b3ssVL+6OXWLciSA8/N/44SqxdV+3Wr1H3mAourtrnKeRhwbLyYS9cWOIiKy0pK03wV5td"
    "UE5fv/3w9uOb92/n68i8ZdnykV0q4G7U1k06ExUgTQopUNOgGr7rMm5U8jDiMttbhw98ET"
    "3KhhfiNyWW4TeFi/Cb9BJsW2NwCrMA/7PbbuUDvJBIG5WW4ZH/EtsSG5u4B38f+txAAMmt"
    "b9mexcUJ3u9/N4X9ErARoeXrcnoJThmKOEB6XR6Cq+bj9QoKicsolaxdJRR+3EOOGXjuOD"
    "ajPF8nC6GURm5BalOqiOiP7YJ+3m5fJUA/b6YNkJvP51rn8LXUAHSyvAJ7G+msikBHIluE"
    "ed6ysziHPuIkoAB1y6yyweYKr8UGrxGfd/ruXRl35927YncHr/34gcTp8D7G6GHDLTXup9"
    "Q19cSVmHXuWkbeHnAeyn36vcNsWmCMxxjvaxxnB13PH9Gci1oPckgSY8SMe8f3dMEEUh1P"
    "xOsiHK4bjLavqAn/dj74ExHrxobaJ7jwDXVOnaJ3NntpfDpOt1BO7+RPwnvjnTJvZUGQav"
    "7KLo9U6ZN5v0fjVW3OFkEfkCLOkFAZYvpJkHAZPybTEajugbkyRnQPOjmDTiYVo1sHfjXx"
    "BXMzEau1jdznYzoj1DTJlLF7e0Yclzic/YzUNAlWQxzHMkaEuoyMLdd1XGaCxekRLscWjm"
    "2SQ8EYhr9grgpqs8Hg6IQ0eWCLEdeZCoyhzaAv8eCZCPsOdir8FBK+FLfMFXBbQjmB0fpc"
    "3hhELNsmYCA6NozioSyz3CBEVy549megsmCnhInG3AcqrZPQSvyrMLqWtzPf3DQv83fm3K"
    "3Y9y3zBGU2E2GLmf/yTvjP2+ew/QPHNyDt4ya9/OkqtPaygiwqtPYSta5Ca7sTWpOQZdAv"
    "9jqj/lukdF2GXDJCtynkEy7n6/clPM7X6Vdn4XDipSTGcVOjLM5xmT0MY34sgfHHQog/Fi"
    "EMAPo8Zx8pXEqygltbSl5vdh1ZW/CHjitiuhDYXiRt8+vyCwymbW01WHMsTUUKts9gg4e+"
    "Kn+9EN27dNS10deJULHj3PsTvWLGb1JqH3J1tpAYFeOLyuIcE9nDlXo9+dWZYEwS8Szcnx"
    "yXWXf8dzaToDfhCSk38lbr1DmDHQO7iAuHZpdO58RkfJLBb4dfzIIFugNuead5Aat0cXhr"
    "k7R6OniTQ67nxHeKKfZ0bKkc0d4g8egKiQYh4SAnGf78MYE+l2z2hHFd2I43GJCRA3DI0y"
    "BIm+MZEJDDPx3OIrHYZUECC86zZ30+ojC5THKI2KEY8uYz4iBpjeT40Zkk6IMpSeRExAGQ"
    "vSdjes8E6R9Qr8/HjvDk7fC5Cn7ABIaUvP6BfGIYBLp6U4cAwoIAiuy4z6cWvEHQmRLbMe"
    "7JCDRNqOE6QkBTGFYwqG2fkAY+X8DZ23h3fE4EBEMCNuvzgKKXz2PxSBSenX2fWBgmwJ/I"
    "yO1MIsPZd2/xpM5wDlcRm//nAV6N6HuTjSeOh0ax3NP+ynD9sc6wWni+UPy+4vfruvDvKN"
    "Or+P2XqHXF7+8Ovx/bBct6MDGRPfRgNuKShzM2NPxWI0KSwooKqYB7rein/Z/tKp616XhW"
    "6LDk4qtxf5xhQVJTO5LeYpQWvb6K7shB+1prnUl/sc8v2p+vr7SedkYMZzxBQqPPtT+umx"
    "3t8ixyINOO+/OEc3230swPu+8j4/q2zLTHbks417eZyR8oW6zgMCQl99Bh2F0HIesXRmZP"
    "jLha0XDKjrCHL9smNnKXwS8Vnm5ad0zkvG3F0Gcl93BTX1cxmTjPmGQtqxhQWVE1y0vN8j"
    "lvXwXuhJA6VVUCZhUrVbFSFSutECv1heeMZWgrGySNrh0vjY7Gez0aFdW+w2U80sPZPC54"
    "FgTdglDjYBAyf4MBEczzbIYBQAwSklvmTRnjhGZCp2sZtc+xz0+CDC1XeDJAGRoYghzeOt"
    "4I/qTGKIooYsAyqMQHqJHYxtjnsDMe47miKGwp40ZCPl2EFvEc5+ip5fZUwFAFDFXoSAUM"
    "ldbXFTCsQ6Bq3030kDCJdsLV6JaUtEK+DPJsTK1KrPFcYP+c/DenZTJ1oVdxxv/pq4o1PT"
    "ZpyF/6E9syQBmJQgw5Vn1+x6UmvhmJJFjOcgY/VgVIpgWiH2gzk1BugkUN9iHmId4yg8JK"
    "ushWpDbuMjMyotgzY/GvZ9g+d2wTWm0sCQDm+QnpMMNxA8khuLCx9EFMPmRmwquY4wLmPx"
    "YtwLTIII/ShkYX/597hN5iaqHlgV/BMfsQxsIERgsmJzyKrJJgyMID9A7maukqArF9J2Zn"
    "quxC5Swos1E5C0rrL8NZeG7tbt5ovWcTT396mPaRYZQ2ymkjZgo+WSVlxlKOXTmXeucytS"
    "aMm9WraRxca63LZuvXMxLK93lH67avvmB+VliVC0zxT43mFbYMwX2tS8JWlOpJZ2PwCnRM"
    "ReSrVtvMG2P/XPRNsk+Bh7ga/AlZBXvJJJ/AI9crF/LIkVS18WtRzqPWs3jN1TwY1pjMol"
    "v8WZK5wD5Au8xp28QHSaKdfAWHOiW6Bo96h3RRbwc64E3qwpdbYuLLHJwsQx5eOl7Kicc6"
    "PUqC90aMgNEms0tCwbA6bmDJkcOQZ6a2jYVpozwWAxbvO3aUrRWwjgFV4onikhWrqLhkpf"
    "UacMnqpHo9TqqHWIZ76mr8QFJYMZhl+AFV33MPCIHagbpJRmD3OPfqSB98bXRazdavekvT"
    "Lrt6R+tet1td7YyA/8UBeZ0zZgodtsEJIM/6POp/07rUOtD/S1P7uuiNPJ4LvR8sNl30Bf"
    "+/i2R91MuwHYEkfvqe6Xsl75Eau92CAR3e5zB470wWClslDPDmtFSS2JIcsSwRSkXeBr/s"
    "lGMkUeepUpvTjXhmbiXzOSG4h9bz7lrLWSdpHgGrREQkpbZLSDyPYh9hH57ExWW0kVVFm7"
    "OeA/+UPQO4GGcXFfD4IcDE/CtzDvBpnxcL4cyhOGNIL/m0WKzTYxRnMVZrraEZz3Q9Jnnl"
    "NVOdFIWpKMx6bsc7SmYpCvMlal1RmLtDYaq05G0WfaxVOl+9zGJFGyvaePdXj3V/FkpOQD"
    "3Kaqw8dROSKhEyG797Aax8R/u/m2ZH6+rXjX991lo9/bPW+60tM+C/+bL2ZLSljMHndkxM"
    "kg8lLtqtT83O50aviQz5vD9oZWi5Y/mN91jvxkWqHzWCHted9oXW7QaZ+K5jYNVoTMbv3l"
    "xcaNol0vnCNwzGzGw6fp9fNFoXmmyJTu3CiI1Or9m4uvqX3tE+IbUPVyfU9Sxq27P5pMdn"
    "i67GX4Tn5/XjKqqweKbE9iFZNIn0u1JfxHq35ItY77JfxMKJ5LsMprcQ9C7nI3vFebk5ov"
    "sA+rYzdMMch5z9a+n3DeNiW/zC4bxl1z9xaPEHZ+Uq80lhVU6yTJF5VSr1BRYErjXkGyro"
    "WRz5Sx/iyrGuz0PBT793mE0LjJkw9NSRg9THmn5ylC/nnJtOPQ/efm8tUDWCsfYJsUoHOz"
    "JGRzGoUbz5cWhjZzx2azFYimmF4HD4GubEhhcvaHFo2F30WWtkOBP7TYbMVWRXRXbrv+zt"
    "aIxPRXZfotZVZHd3Iru1qF2hYowqxqhijLWOMW79jEHdVucNx3qWBRmLVt9dCCzWBuC6pf"
    "fXw+dfR4J/iaT96p/uWT1tvx7AbiBxf/U6JjHDY0H8PZXuqsok1mxBXy/pFcFQyH3FcHqM"
    "AtNjSnq8DkwjTFogt5Zt37l0MiJU3DMzKjM+dNxj/PLs2IJR5zXIoQuAky0C86TR+rzPm5"
    "4glkmCwuVY1zwUjIWuSPQtI5dNGA3KlHMS/mhySIdY55z2OR6whCtiyuCelBguFSP8H3Tm"
    "Hd87wkwPwrE4evTQ3tQy2C9kOrJsJr++e0wsT/R5YD3Dc8O/IqiJDkNPR9TDKuw2G3pY6c"
    "YLCuDgW1lUzCZNHj5+0CTZP9yzFdGoiMaabl87SjkpovElar0M0aiolvVSLWE+xGplV7Oi"
    "e8TcrhFixbVskgpQGVjPl4EFL/9tJcTTcntIdm0Y71UK3iZl99Di2V0LJ2vY7t4BFVkYp6"
    "LPeNC+1lpn0q3v80ar+1Xr4JGNgCCIjnF0o1Mcoi7faJBFuwFuMyfHbMlXEhNS+7fFrH9T"
    "V9XUt3lWQ0VT1kZTZRJ9q2G6LPuiCqS1OoaholObBXb70an0LM9qoWJhr9I5/3Wc2I/in3"
    "irN17V67Hv+5b/rG/lj/lWSuXeZJEvFZNRMZmaLto7ys6rmMxL1LpK/t6d5G9V1muLZb2e"
    "8FXb4hFUun0FDRi+8Jxx5SmfL61mf7Widu7KNSbiogr1ff16c3W8D8APblzJelGAN7VltS"
    "gsL/VFOyNYVeqBYQ2obk+/vNGw8hNWcfDlVx6uG81L/L7DhFoFtaOarYv25+srrQeSFjec"
    "8QQd8Hi7rv1x3ZQhiMV1nX2fWG5QeyqIRUzoqqGI9VPkwYkXT58w13JMHbTsVne2CsbYQw"
    "N8dw3urJ+VUhvLI+AqKT4cQam93mqX6xn4yEsVv7S8VtEQqtRWhVJb0b6yCruVFFUfH67z"
    "+8aCr8pXVnJcTmm4zhqWluYq+2dCUOm4zjo2LSGPClXO2skI7kNqyRZqr85xAxPDQCPTGQ"
    "6zuH+yHVpAChcNkMJ/iCPsngaWAH7Zvjm/0sh1R7todpvtVvJlkheTtklHa1wVoR9WA88F"
    "fxklXzCA4uVX5eUX68gKdS1yhfdvIVpzfYs5arBDixUsuDx5tcvXeZdXp0BUHd6aQb7+L9"
    "dObFo12BgTqTP7/6wQL8syBfhybNfKKabhMDsGdun80sUk22zpk4qZkDf4AYcL3MhlxmEm"
    "EzJx/XhZJqSPPXUj1vXRUh5fsSAFJZhigf+YWJSCkiGjnu8yYnHicCYLc2DJjICNzVbwWG"
    "UQLNwBUxMLesyCMhiy/SdBZHxHFuughLNpeAGrZgR/u86UHKIEtW1nilO6z6UMdPDIqyNC"
    "uQldXQYKx/HBIGVTahNQvyngUeTdBGCMI4E2HG+Ez2WJflTYQzAPnxrkDXZCBgP8TYMBiN"
    "ozYowov5N1RlzHvxvJwWDqmRYiSu0+HwxurtHYICcnJwTmdoDIP4L//A/5Rr7+pnW0xZ9/"
    "/wexrbHlDQbFFUDiSTMBqvItjsfD0qmoKrX0WVNLVZrTNky72MtQFuX4+7N/KG/AmntC4F"
    "4F7HfKO42yRsqzcJHE3nzAbwukW8aOf0ars8MMx02aBzmXS9ic7qLnoyZnm7OgLBoYQIMB"
    "dr6XdwMLywCTjhyGZ6nlX1gqjT4wsNI4O8pank8YS1aO47DnoqwVswphFC6CLwQSKkIDT5"
    "rUYJwGRwB+ka3BxO3zQ9y5j9Pl5o7CgnQ0rDkHd4HWYCgwJQ1ABsxNTqYjJm/e50E/QVxp"
    "dgbggzyY0PdsEljEMELQAq+bA9sYPjm8Cxa3PGbPShmQlc4wLbU2lXmpzMu6GD7KvNxN8/"
    "KbT7lneTlUeKHRERdR5dJyQnnKZH8xJrsKKD3DtqCODRejv5sHSIuODdfEV/vKbkeOc689"
    "MJ5b7jtxfam3Ng166mzetZS71g0KakupE9Kb+z7gc4UHpuQlMC/B8bJEUOY6cH/gEawH5s"
    "5yXbc1jNvn7Ds8vz37GX2qM3C3TH9iWwa8M8R2RFgR3JKOnowM4AwNGoXnoAfl+J7hwGtX"
    "4Dxl3KPFSaXwdVbe0DN7Q6m5UmUXzBFV51vLbIISngpAR/035RU9H7yvS6Wnvl6Snvo6m5"
    "5KJ1ZxrYJilFNi+2fQrd8DjRbxDMrLiO+Y0KZc0K1O6GdJOcUNfJyb7r70dFhcTJ0Iq3Ai"
    "bEJntkNzZvo/u+1WAR2wEEl7K5bhkf8S2xK7SLksARzBSACeqV2ZLlOZMlhwgHTtyt07Gw"
    "+enMHgTYvmROkT8h3tQmt+CWriBiP0+XWnfaF1g8PprmMwIeR5919b7eAw+x135An2T42m"
    "PBM/pJZdl2K64UeCcpRX/DmHmMjehEbXRk/aWBShcuncpNQ+GDbLuJFN1M+NXseVirMnRB"
    "VxVXfiKrHtRyvuCopPy6rjJXWLBtSEomww1zJGBznkZHjleBktSRd91lq89Sk5sYW7ey5L"
    "lLOvhxO9viTRWvb1YlZuBfriqdRF7XaVLXzWHV6qCgiH3fcQ3Y3QcHBHL7d+e7HLHBNRLn"
    "NFl/lZN7Mf/w94LMGn"
)
